import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { RESOURCES, type ResourceType } from '../../api/resources.js';
import { tableColumns, toTable } from './table.js';

const resource = (kind: string): ResourceType => RESOURCES.find((r) => r.kind === kind) as ResourceType;
const pods = resource('Pod');

const webPod = {
  metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
  spec: { containers: [{ name: 'web' }], nodeName: 'node-1' },
  status: {
    phase: 'Running',
    podIP: '10.1.0.5',
    containerStatuses: [{ name: 'web', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: {} } }],
  },
};

describe('toTable', () => {
  it('renders the doc example', () => {
    const table = toTable(pods, [webPod], { now: Date.parse('2024-05-01T12:00:05Z'), resourceVersion: '107' });
    expect(table).toEqual({
      kind: 'Table',
      apiVersion: 'meta.k8s.io/v1',
      metadata: { resourceVersion: '107' },
      columnDefinitions: tableColumns(pods),
      rows: [
        {
          cells: ['web-1', '1/1', 'Running', '0', '5s', '10.1.0.5', 'node-1', '<none>', '<none>'],
          object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: webPod.metadata },
        },
      ],
    });
    expect(table.columnDefinitions[0]).toEqual({
      name: 'Name',
      type: 'string',
      format: 'name',
      description: 'Name must be unique within a namespace.',
      priority: 0,
    });
  });

  it('carries the whole object, or none, as includeObject asks', () => {
    const opts = { now: 0, resourceVersion: '1' };
    expect(toTable(pods, [webPod], { ...opts, includeObject: 'Object' }).rows[0]?.object).toBe(webPod);
    expect(toTable(pods, [webPod], { ...opts, includeObject: 'None' }).rows[0]).not.toHaveProperty('object');
    expect(toTable(pods, [{}], { ...opts, includeObject: 'Metadata' }).rows[0]?.object).toEqual({
      kind: 'PartialObjectMetadata',
      apiVersion: 'meta.k8s.io/v1',
      metadata: {},
    });
  });

  it('passes on the list continuation, and leaves it out when there is none', () => {
    const paged = toTable(pods, [], { now: 0, resourceVersion: '9', continue: 'eyJydiI6OX0', remainingItemCount: 3 });
    expect(paged.metadata).toEqual({ resourceVersion: '9', continue: 'eyJydiI6OX0', remainingItemCount: 3 });
    expect(paged.rows).toEqual([]);
    expect(toTable(pods, [], { now: 0, resourceVersion: '9', continue: '' }).metadata).toEqual({ resourceVersion: '9' });
  });

  it('adds row conditions where the kind has them', () => {
    const done = { ...webPod, status: { phase: 'Succeeded' } };
    const [running, finished] = toTable(pods, [webPod, done], { now: 0, resourceVersion: '1' }).rows;
    expect(running).not.toHaveProperty('conditions');
    expect(finished?.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
});

describe('tableColumns', () => {
  it('hands out copies, so that a caller cannot change every later table', () => {
    const columns = tableColumns(pods);
    (columns[0] as { name: string }).name = 'Changed';
    expect(tableColumns(pods)[0]?.name).toBe('Name');
  });
});

/** One full object of every kind, as the controllers and kubelet leave them. */
const SAMPLES: Record<string, unknown> = {
  Namespace: { metadata: { name: 'default', creationTimestamp: '2024-05-01T12:00:00Z' }, status: { phase: 'Active' } },
  Node: {
    metadata: { name: 'node-1', creationTimestamp: '2024-05-01T12:00:00Z', labels: { 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'x' } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '10.0.0.11' }, { type: 'ExternalIP', address: '203.0.113.1' }],
      nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'minik', kernelVersion: '6.8', containerRuntimeVersion: 'minik://0.1' },
    },
  },
  Pod: {
    metadata: { name: 'web-1', creationTimestamp: '2024-05-01T12:00:00Z', deletionTimestamp: '2024-05-01T13:00:00Z' },
    spec: {
      nodeName: 'node-1',
      initContainers: [{ name: 'init' }, { name: 'proxy', restartPolicy: 'Always' }],
      containers: [{ name: 'web' }, { name: 'log' }],
      readinessGates: [{ conditionType: 'x' }],
    },
    status: {
      phase: 'Running',
      reason: 'NodeLost',
      nominatedNodeName: 'node-2',
      conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }, { type: 'x', status: 'True' }],
      podIPs: [{ ip: '10.1.0.5' }],
      initContainerStatuses: [
        { name: 'init', ready: false, restartCount: 1, image: 'i', imageID: '', state: { terminated: { exitCode: 0 } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:00:10Z' } } },
        { name: 'proxy', ready: true, started: true, restartCount: 2, image: 'p', imageID: '', state: { running: {} } },
      ],
      containerStatuses: [
        { name: 'web', ready: true, restartCount: 3, image: 'w', imageID: '', state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:00:20Z' } } },
        { name: 'log', ready: false, restartCount: 0, image: 'l', imageID: '', state: { terminated: { exitCode: 0, reason: 'Completed', signal: 0 } } },
      ],
    },
  },
  Service: {
    metadata: { name: 'web', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: { type: 'LoadBalancer', clusterIP: '10.96.0.2', clusterIPs: ['10.96.0.2'], externalIPs: ['198.51.100.1'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }], externalName: 'x' },
    status: { loadBalancer: { ingress: [{ ip: '203.0.113.5' }, { hostname: 'lb.example' }] } },
  },
  Endpoints: {
    metadata: { name: 'web', creationTimestamp: '2024-05-01T12:00:00Z' },
    subsets: [{ addresses: [{ ip: '10.1.0.5' }, { ip: '10.1.0.6' }], notReadyAddresses: [{ ip: '10.1.0.7' }], ports: [{ port: 80 }, { port: 81 }] }],
  },
  ConfigMap: { metadata: { name: 'c', creationTimestamp: '2024-05-01T12:00:00Z' }, data: { a: '1' }, binaryData: { b: 'AA==' } },
  Secret: { metadata: { name: 's', creationTimestamp: '2024-05-01T12:00:00Z' }, type: 'Opaque', data: { a: 'AA==' } },
  Event: {
    metadata: { name: 'e', creationTimestamp: '2024-05-01T12:00:00Z' },
    involvedObject: { kind: 'Pod', name: 'web-1', fieldPath: 'spec.containers{web}' },
    reason: 'BackOff', message: ' m ', type: 'Warning', count: 3,
    source: { component: 'kubelet', host: 'node-1' }, reportingComponent: 'kubelet', reportingInstance: 'node-1',
    firstTimestamp: '2024-05-01T12:00:00Z', lastTimestamp: '2024-05-01T12:05:00Z', eventTime: '2024-05-01T12:00:00.000000Z',
    series: { count: 4, lastObservedTime: '2024-05-01T12:06:00.000000Z' },
  },
  Deployment: {
    metadata: { name: 'web', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['a', 'b'] }] },
      template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } },
    },
    status: { replicas: 3, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2 },
  },
  ReplicaSet: {
    metadata: { name: 'web-1', creationTimestamp: '2024-05-01T12:00:00Z' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    status: { replicas: 3, readyReplicas: 2 },
  },
  Lease: { metadata: { name: 'node-1', creationTimestamp: '2024-05-01T12:00:00Z' }, spec: { holderIdentity: 'node-1' } },
  ServiceAccount: { metadata: { name: 'default', creationTimestamp: '2024-05-01T12:00:00Z' }, secrets: [{ name: 'token' }] },
  EndpointSlice: {
    metadata: { name: 'web-x7k2p', creationTimestamp: '2024-05-01T12:00:00Z' },
    addressType: 'IPv4',
    endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true } }, { addresses: ['10.1.0.6', '10.1.0.7'] }, { addresses: ['10.1.0.8'] }],
    ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'any' }],
  },
};

/** The sample with whatever parts `keep` turns down cut away: every shape a partly written object can take. */
function prune(value: unknown, keep: (path: string) => boolean, path = ''): unknown {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => (keep(`${path}[${i}]`) ? [prune(v, keep, `${path}[${i}]`)] : []));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (keep(`${path}.${k}`)) out[k] = prune(v, keep, `${path}.${k}`);
    return out;
  }
  return value;
}

describe('every table', () => {
  it('has a sample for every kind', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual(RESOURCES.map((r) => r.kind).sort());
  });

  test.prop([
    fc.constantFrom(...RESOURCES),
    fc.func(fc.boolean()),
    fc.integer({ min: Date.parse('2024-04-30T00:00:00Z'), max: Date.parse('2034-01-01T00:00:00Z') }),
  ])('has one cell per column in every row, each a string or an integer', (r, keep, now) => {
    const object = prune(SAMPLES[r.kind], keep);
    const table = toTable(r, [object, SAMPLES[r.kind]], { now, resourceVersion: '1' });
    for (const row of table.rows) {
      expect(row.cells).toHaveLength(table.columnDefinitions.length);
      for (const cell of row.cells) {
        expect(typeof cell === 'string' || Number.isSafeInteger(cell), `cell ${String(cell)}`).toBe(true);
      }
    }
  });
});
