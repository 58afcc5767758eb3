import { describe, expect, it } from 'vitest';
import { TEST_RESOURCES } from './_test-resources.js';
import { alignToWidths, asTable, tableCells, formatLabels, formatObjects, formatTable, parseOutput, toYaml, withoutManagedFields, type Table } from './output.js';
import { alignTabs } from './tabwriter.js';

const pods = TEST_RESOURCES.find((r) => r.name === 'pods')!;
const deployments = TEST_RESOURCES.find((r) => r.name === 'deployments')!;

const table: Table = {
  columnDefinitions: [
    { name: 'Name', priority: 0, format: 'name' },
    { name: 'Status', priority: 0 },
    { name: 'Age', priority: 0 },
    { name: 'IP', priority: 1 },
  ],
  rows: [
    { cells: ['web-1', 'Running', '5s', '10.1.0.5'], object: { metadata: { name: 'web-1', namespace: 'default', labels: { tier: 'front', app: 'web' } } } },
    { cells: ['db', 'Pending', '12m', null], object: { metadata: { name: 'db', namespace: 'data' } } },
  ],
};

describe('formatTable', () => {
  it('prints the columns kubectl prints, aligned with three spaces', () => {
    expect(formatTable(table, {})).toBe('NAME    STATUS    AGE\nweb-1   Running   5s\ndb      Pending   12m\n');
  });

  it('adds the -o wide columns, a NAMESPACE column for -A and LABELS for --show-labels', () => {
    expect(formatTable(table, { wide: true, withNamespace: true, showLabels: true })).toBe(
      [
        'NAMESPACE   NAME    STATUS    AGE   IP         LABELS',
        'default     web-1   Running   5s    10.1.0.5   app=web,tier=front',
        'data        db      Pending   12m   <none>     <none>',
        '',
      ].join('\n'),
    );
  });

  it('prefixes names with the kind when several kinds print together', () => {
    expect(formatTable(table, { withKind: deployments, noHeaders: true })).toBe('deployment.apps/web-1   Running   5s\ndeployment.apps/db      Pending   12m\n');
    expect(formatTable(table, { withKind: pods, noHeaders: true }).split('\n')[0]).toBe('pod/web-1   Running   5s');
  });
});

describe('alignToWidths', () => {
  it('keeps watched rows under the columns already printed, widening one that needs it', () => {
    const first = alignToWidths([['NAME', 'STATUS'], ['a', 'Pending']], []);
    expect(first.text).toBe('NAME   STATUS\na      Pending\n');
    expect(alignToWidths([['a', 'Running']], first.widths).text).toBe('a      Running\n');
    expect(alignToWidths([['longer-name', 'Running']], first.widths).text).toBe('longer-name   Running\n');
  });
});

describe('alignTabs', () => {
  it('aligns each run of lines with a column on its own, as Go tabwriter does', () => {
    expect(alignTabs('Name:\tweb\nLabels:\tapp=web\n\ttier=x\nContainers:\n  nginx:\n    Image:\tnginx', 2)).toBe(
      'Name:    web\nLabels:  app=web\n         tier=x\nContainers:\n  nginx:\n    Image:  nginx',
    );
  });
});

describe('parseOutput', () => {
  it('reads the formats kubectl takes', () => {
    expect(parseOutput(undefined)).toEqual({ kind: 'table', wide: false });
    expect(parseOutput('wide')).toEqual({ kind: 'table', wide: true });
    expect(parseOutput('yaml')).toEqual({ kind: 'yaml' });
    expect(parseOutput("jsonpath='{.a}'")).toEqual({ kind: 'jsonpath', template: '{.a}' });
    expect(() => parseOutput('xml')).toThrow('unable to match a printer suitable for the output format "xml"');
  });
});

describe('formatObjects', () => {
  const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', creationTimestamp: '2024-05-01T12:00:00Z' }, spec: { replicas: 3 } };

  it('prints one object alone and several as a List, keys sorted, JSON indented by four', () => {
    expect(formatObjects([web], { kind: 'json' }, true, () => deployments)).toBe(`${JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { creationTimestamp: '2024-05-01T12:00:00Z', name: 'web' }, spec: { replicas: 3 } }, null, 4)}\n`);
    const list = JSON.parse(formatObjects([web, web], { kind: 'json' }, false, () => deployments));
    expect(list).toMatchObject({ apiVersion: 'v1', kind: 'List', items: [web, web], metadata: { resourceVersion: '' } });
  });

  it('names objects as kind.group/name', () => {
    expect(formatObjects([web], { kind: 'name' }, true, () => deployments)).toBe('deployment.apps/web\n');
  });

  it('writes YAML the way kubectl does: timestamps and YAML 1.1 booleans quoted, lists not indented', () => {
    expect(toYaml({ metadata: { creationTimestamp: '2024-05-01T12:00:00Z', labels: { on: 'yes' } }, items: [{ b: 1, a: '0755' }] })).toBe(
      'items:\n- a: "0755"\n  b: 1\nmetadata:\n  creationTimestamp: "2024-05-01T12:00:00Z"\n  labels:\n    "on": "yes"\n',
    );
  });

  it('prints labels sorted, or <none>', () => {
    expect(formatLabels({ b: '2', a: '1' })).toBe('a=1,b=2');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('leaves managedFields out of printed objects unless asked, as kubectl does', () => {
    const o = { kind: 'ConfigMap', metadata: { name: 'c', managedFields: [{ manager: 'kubectl', operation: 'Apply' }] }, data: { a: 'b' } };
    expect(withoutManagedFields(o)).toEqual({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } });
    expect(o.metadata.managedFields).toHaveLength(1);
    const plain = { kind: 'ConfigMap', metadata: { name: 'c' } };
    expect(withoutManagedFields(plain)).toBe(plain);
  });
});

describe('asTable', () => {
  it('prints what a server sent instead of a Table as NAME and AGE, as kubectl falls back to', () => {
    const now = Date.parse('2026-11-21T10:01:00Z');
    const list = { kind: 'NodeMetricsList', items: [{ metadata: { name: 'node-1', creationTimestamp: '2026-11-21T10:00:00Z' } }, { metadata: { name: 'node-2' } }] };
    expect(tableCells(asTable(list, now), {})).toEqual([['NAME', 'AGE'], ['node-1', '60s'], ['node-2', '<unknown>']]);
    expect(tableCells(asTable({ kind: 'NodeMetrics', metadata: { name: 'node-1', creationTimestamp: '2026-11-21T10:00:30Z' } }, now), { noHeaders: true })).toEqual([['node-1', '30s']]);
    const table: Table = { columnDefinitions: [{ name: 'Name', priority: 0, format: 'name' }], rows: [{ cells: ['x'] }] };
    expect(asTable({ kind: 'Table', ...table }, now).rows).toEqual(table.rows);
  });
});

