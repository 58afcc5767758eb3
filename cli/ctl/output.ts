import { stringify as stringifyYaml } from 'yaml';
import { qualifiedKind, type ApiResource } from './discovery.js';
import { CtlError } from './errors.js';
import { parseCustomColumns, renderCustomColumns, type CustomColumn } from './custom-columns.js';
import { renderJsonPath } from './jsonpath.js';
import { alignTabs } from './tabwriter.js';
import { humanDuration } from '../../apiserver/table/human-duration.js';

/** The meta.k8s.io/v1 Table the server prints for `kubectl get`. */
export interface Table {
  columnDefinitions: Array<{ name: string; priority: number; format?: string }>;
  rows: Array<{ cells: unknown[]; object?: { metadata?: { name?: string; namespace?: string; labels?: Record<string, string> } } }>;
  metadata?: { resourceVersion?: string };
}

/**
 * A list or an object the server sent as it is, where a Table was asked for (a server that cannot
 * print this kind): NAME and AGE, as kubectl falls back to.
 */
export function asTable(body: unknown, nowMs: number): Table {
  const b = (body ?? {}) as { kind?: string; items?: unknown[] };
  if (b.kind === 'Table') return body as Table;
  const objects = (Array.isArray(b.items) ? b.items : [body]) as Array<{ metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; creationTimestamp?: string } }>;
  return {
    columnDefinitions: [
      { name: 'Name', priority: 0, format: 'name' },
      { name: 'Age', priority: 0 },
    ],
    rows: objects.map((o) => {
      const at = Date.parse(o.metadata?.creationTimestamp ?? '');
      return { cells: [o.metadata?.name ?? '', Number.isNaN(at) ? '<unknown>' : humanDuration(nowMs - at)], object: o };
    }),
  };
}

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; columns: CustomColumn[] };

/**
 * `-o` as kubectl reads it: absent for the table, `wide`, `yaml`, `json`, `name`,
 * `jsonpath=TEMPLATE` (also `jsonpath='{...}'` with the quotes the shell left in).
 *
 *   parseOutput('jsonpath={.metadata.name}')  // { kind: 'jsonpath', template: '{.metadata.name}' }
 */
export function parseOutput(o: string | undefined): OutputFormat {
  if (o === undefined || o === '') return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml' || o === 'json' || o === 'name') return { kind: o };
  const jp = /^jsonpath=(.*)$/s.exec(o);
  if (jp) return { kind: 'jsonpath', template: jp[1]!.replace(/^'(.*)'$/s, '$1') };
  const cc = /^custom-columns=(.*)$/s.exec(o);
  if (cc) return { kind: 'custom-columns', columns: parseCustomColumns(cc[1]!) };
  throw new CtlError(`unable to match a printer suitable for the output format "${o}", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml`);
}

export interface TableOptions {
  wide?: boolean;
  /** `-A`: a NAMESPACE column first. */
  withNamespace?: boolean;
  /** Several kinds at once: names print as `pod/web`. */
  withKind?: ApiResource;
  showLabels?: boolean;
  /** `-L app,tier`: a column of each label's value, before the LABELS of --show-labels. */
  labelColumns?: readonly string[];
  noHeaders?: boolean;
}

/**
 * The server's Table as kubectl prints it: upper-case headers, `-o wide` columns only when asked,
 * cells aligned with three spaces between columns.
 *
 *   formatTable({ columnDefinitions: [{ name: 'Name', priority: 0 }, { name: 'Age', priority: 0 }, { name: 'IP', priority: 1 }],
 *                 rows: [{ cells: ['web-1', '5s', '10.1.0.5'] }] }, {})
 *     // 'NAME    AGE\nweb-1   5s\n'
 */
export function formatTable(table: Table, opts: TableOptions): string {
  const lines = tableCells(table, opts);
  return lines.length === 0 ? '' : `${alignTabs(lines.map((l) => l.join('\t')).join('\n'), 3)}\n`;
}

/** The header (unless `noHeaders`) and rows of a Table as cells, before alignment. */
export function tableCells(table: Table, opts: TableOptions): string[][] {
  const shown = table.columnDefinitions.map((c, i) => ({ c, i })).filter(({ c }) => opts.wide || c.priority === 0);
  const nameColumn = table.columnDefinitions.findIndex((c) => c.format === 'name');
  const lines: string[][] = [];
  if (!opts.noHeaders) {
    lines.push([
      ...(opts.withNamespace ? ['NAMESPACE'] : []),
      ...shown.map(({ c }) => c.name.toUpperCase()),
      // kubectl heads a label's column with its name, past any prefix: `example.com/tier` is TIER.
      ...(opts.labelColumns ?? []).map((l) => l.slice(l.lastIndexOf('/') + 1).toUpperCase()),
      ...(opts.showLabels ? ['LABELS'] : []),
    ]);
  }
  for (const row of table.rows) {
    const meta = row.object?.metadata;
    lines.push([
      ...(opts.withNamespace ? [meta?.namespace ?? ''] : []),
      ...shown.map(({ i }) => {
        const cell = formatCell(row.cells[i]);
        return opts.withKind && i === nameColumn ? `${qualifiedKind(opts.withKind)}/${cell}` : cell;
      }),
      ...(opts.labelColumns ?? []).map((l) => (meta?.labels && Object.hasOwn(meta.labels, l) ? meta.labels[l]! : '')),
      ...(opts.showLabels ? [formatLabels(meta?.labels)] : []),
    ]);
  }
  return lines;
}

/**
 * Rows aligned to widths already printed (a watch's rows under the table it follows), each
 * column widened if a cell needs more room; answers the text and the widths now in use.
 */
export function alignToWidths(lines: string[][], widths: readonly number[]): { text: string; widths: number[] } {
  const next = [...widths];
  for (const cells of lines) cells.forEach((c, i) => (next[i] = Math.max(next[i] ?? 0, [...c].length + 3)));
  const text = lines.map((cells) => cells.map((c, i) => (i < cells.length - 1 ? c + ' '.repeat(next[i]! - [...c].length) : c)).join('') + '\n').join('');
  return { text, widths: next };
}

function formatCell(v: unknown): string {
  if (v === null || v === undefined) return '<none>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** `app=web,tier=front`, or `<none>`, sorted by key as kubectl's label printer sorts them. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/**
 * Objects as `-o yaml|json|name|jsonpath` prints them: one object alone, several wrapped in a
 * `List` (as kubectl wraps a list or several kinds). Keys are sorted, as kubectl's printers sort
 * them, and JSON is indented by four spaces.
 */
export function formatObjects(
  objects: readonly Record<string, unknown>[],
  format: Exclude<OutputFormat, { kind: 'table' }>,
  single: boolean,
  resourceOf: (o: Record<string, unknown>) => ApiResource | undefined,
): string {
  if (format.kind === 'name') {
    return objects.map((o) => {
      const r = resourceOf(o);
      const kind = r ? qualifiedKind(r) : kindOfObject(o);
      return `${kind}/${(o.metadata as { name?: string } | undefined)?.name ?? ''}\n`;
    }).join('');
  }
  const data = single && objects.length === 1 ? objects[0]! : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
  switch (format.kind) {
    case 'json':
      return `${JSON.stringify(sortKeys(data), null, 4)}\n`;
    case 'yaml':
      return toYaml(data);
    case 'jsonpath':
      return renderJsonPath(format.template, data);
    case 'custom-columns':
      return renderCustomColumns(objects, format.columns);
  }
}

/**
 * YAML as kubectl writes it: keys sorted, lists not indented under their key, long lines kept,
 * and strings a YAML 1.1 reader would take for something else quoted ("2024-05-01T12:00:00Z",
 * "yes", "0755"), because that is the YAML kubectl's library speaks.
 */
export function toYaml(data: unknown): string {
  return stringifyYaml(sortKeys(data), { version: '1.1', indentSeq: false, lineWidth: 0 });
}

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]),
  );
}

/** `tokenrequest.authentication.k8s.io`: an object's kind and group as `-o name` prints them, from its apiVersion. */
export function kindOfObject(o: Record<string, unknown>): string {
  const apiVersion = String(o.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  const kind = String(o.kind ?? '').toLowerCase();
  return slash > 0 ? `${kind}.${apiVersion.slice(0, slash)}` : kind;
}

/** The object without metadata.managedFields, as kubectl prints objects unless --show-managed-fields. */
export function withoutManagedFields<T extends Record<string, unknown>>(obj: T): T {
  const meta = obj.metadata as Record<string, unknown> | undefined;
  if (!meta || meta.managedFields === undefined) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}
