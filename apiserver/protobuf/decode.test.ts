import { fc, test } from '@fast-check/vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { Deployment } from '../../api/schemas/workloads.js';
import { Pod } from '../../api/schemas/pod.js';
import { encodeProtobuf, protobufBody } from '../../test/support/protobuf.js';
import { ApiError } from '../errors.js';
import { decodeProtobuf } from './decode.js';
import { envelopeType } from './schema.js';
import { goDuration } from './to-json.js';

const SCHEMAS: Record<string, unknown> = { 'apps/v1/Deployment': Deployment, 'v1/Pod': Pod };
const schemaFor = (apiVersion: string, kind: string) => SCHEMAS[`${apiVersion}/${kind}`] as never;
const decode = (raw: Buffer) => decodeProtobuf(raw, schemaFor);

function badRequest(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    return (err as ApiError).message;
  }
  throw new Error('expected a 400');
}

describe('protobuf request bodies', () => {
  it('decode every example manifest of the course to the object it was made from', () => {
    const dir = join(import.meta.dirname, '../../examples');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml') && !f.startsWith('nodes'));
    expect(files.length).toBeGreaterThan(4);
    for (const file of files) {
      for (const doc of parseAllDocuments(readFileSync(join(dir, file), 'utf8'))) {
        const object = doc.toJS() as Record<string, unknown>;
        expect(decode(encodeProtobuf(object)), file).toEqual(object);
      }
    }
  });

  it('read what Go sends for fields it never set: empty strings go unless the field is required, zeros and false stay but where Go omits them', () => {
    const pod = decode(
      protobufBody('v1', 'Pod', {
        metadata: { name: 'web', namespace: '', resourceVersion: '', generateName: '', creationTimestamp: {}, labels: { tier: '' } },
        spec: {
          containers: [{ name: 'web', image: 'nginx', imagePullPolicy: '', workingDir: '', stdin: false, ports: [{ containerPort: 80, hostPort: 0, protocol: 'TCP', name: '' }] }],
          restartPolicy: '',
          nodeName: '',
          terminationGracePeriodSeconds: 0,
        },
        status: { phase: '', containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'nginx', imageID: '' }] },
      }),
    );
    expect(pod).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', labels: { tier: '' } },
      spec: {
        containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80, protocol: 'TCP' }] }],
        terminationGracePeriodSeconds: 0,
      },
      status: { containerStatuses: [{ name: 'web', ready: false, restartCount: 0, image: 'nginx', imageID: '' }] },
    });
    // What `kubectl create deployment` sends: a pointer's explicit 0 stays, plain omitempty zeros go.
    const d = decode(protobufBody('apps/v1', 'Deployment', { metadata: { name: 'web', generation: 0 }, spec: { replicas: 0, minReadySeconds: 0, paused: false, template: { metadata: { generation: 0 } } } }));
    expect(d).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 0, template: { metadata: {} } } });
  });

  it('turn quantities, int-or-strings, times, micro-times and secret bytes into their JSON forms', () => {
    const deployment = decode(
      protobufBody('apps/v1', 'Deployment', {
        metadata: { name: 'web', creationTimestamp: { seconds: 1795255200 } },
        spec: {
          replicas: 0,
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: { type: 1, strVal: '25%' }, maxUnavailable: { type: 0, intVal: 0 } } },
          template: { spec: { containers: [{ name: 'web', resources: { requests: { cpu: { string: '100m' }, memory: { string: '64Mi' } } } }] } },
        },
      }),
    );
    expect(deployment.metadata).toEqual({ name: 'web', creationTimestamp: '2026-11-21T10:00:00Z' });
    expect((deployment.spec as Record<string, unknown>).replicas).toBe(0);
    expect((deployment.spec as Record<string, unknown>).strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    expect(JSON.stringify(deployment)).toContain('"requests":{"cpu":"100m","memory":"64Mi"}');

    const lease = decode(protobufBody('coordination.k8s.io/v1', 'Lease', { metadata: { name: 'n' }, spec: { renewTime: { seconds: 1795255200, nanos: 123456789 } } }));
    expect(lease.spec).toEqual({ renewTime: '2026-11-21T10:00:00.123456Z' });

    const secret = decode(protobufBody('v1', 'Secret', { metadata: { name: 's' }, data: { password: Buffer.from('hunter2') }, type: 'Opaque' }));
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
  });

  it('take DeleteOptions under any group, as typed clients send them with a DELETE', () => {
    expect(decode(protobufBody('v1', 'DeleteOptions', { gracePeriodSeconds: 0, propagationPolicy: 'Foreground' }))).toEqual({
      apiVersion: 'v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      propagationPolicy: 'Foreground',
    });
    const eviction = decode(protobufBody('policy/v1', 'Eviction', { metadata: { name: 'web-1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 30 } }));
    expect(eviction).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 30 } });
  });

  it('refuse what is not a Kubernetes protobuf body with a 400 that says why', () => {
    expect(badRequest(() => decode(Buffer.from('{"kind":"Pod"}')))).toMatch(/does not start with the "k8s\\x00" prefix/);
    expect(badRequest(() => decode(Buffer.from('k8s\0\xff\xff\xff', 'latin1')))).toMatch(/not valid protobuf/);
    expect(badRequest(() => decode(protobufBody('v1', 'Pod', {}).subarray(0, 4)))).toMatch(/names no kind/);
    const unknownKind = Buffer.concat([Buffer.from('k8s\0', 'latin1'), envelopeType().encode({ typeMeta: { apiVersion: 'batch/v1', kind: 'Job' }, raw: new Uint8Array() }).finish()]);
    expect(badRequest(() => decode(unknownKind))).toMatch(/no protobuf message is known for kind "Job" in "batch\/v1"/);
    const deep = protobufBody('v1', 'ConfigMap', { metadata: { name: 'c', managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { Raw: Buffer.from('['.repeat(5000) + ']'.repeat(5000)) } }] } });
    expect(badRequest(() => decode(deep))).toMatch(/nests deeper than 100 levels/);
    const truncated = protobufBody('v1', 'Pod', { metadata: { name: 'web', labels: { app: 'web' } } });
    expect(badRequest(() => decode(truncated.subarray(0, truncated.length - 3)))).toMatch(/not valid protobuf/);
  });

  test.prop([fc.uint8Array({ maxLength: 200 })], { numRuns: 300 })('answer any bytes after the prefix with an object or a 400, never anything else', (bytes) => {
    const raw = Buffer.concat([Buffer.from('k8s\0', 'latin1'), bytes]);
    try {
      decode(raw);
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).code).toBe(400);
    }
  });

  const dns = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
  const labels = fc.dictionary(dns, fc.oneof(fc.constant(''), dns), { minKeys: 1, maxKeys: 3 });
  const quantity = fc.oneof(fc.constantFrom('100m', '1', '1.5', '64Mi', '1G'), fc.nat(4000).map((n) => `${n}m`));
  const container = fc.record(
    {
      name: dns,
      image: dns.map((s) => `${s}:1.0`),
      command: fc.array(fc.string({ minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 3 }),
      ports: fc.array(fc.record({ containerPort: fc.integer({ min: 1, max: 65535 }), protocol: fc.constantFrom('TCP', 'UDP') }), { minLength: 1, maxLength: 2 }),
      env: fc.array(fc.record({ name: dns, value: fc.string({ minLength: 1, maxLength: 8 }) }), { minLength: 1, maxLength: 3 }),
      resources: fc.record({ requests: fc.record({ cpu: quantity, memory: quantity }) }),
    },
    { requiredKeys: ['name', 'image'] },
  );
  const intOrPercent = fc.oneof(fc.nat(10), fc.nat(100).map((n) => `${n}%`));
  const deployment = fc.record({
    apiVersion: fc.constant('apps/v1'),
    kind: fc.constant('Deployment'),
    metadata: fc.record({ name: dns, labels, annotations: fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { minKeys: 1, maxKeys: 2 }) }, { requiredKeys: ['name'] }),
    spec: fc.record(
      {
        replicas: fc.nat(20),
        // Go's JSON has no `paused: false`: absent or true.
        paused: fc.constant(true),
        selector: fc.record({ matchLabels: labels }),
        strategy: fc.record({ type: fc.constant('RollingUpdate'), rollingUpdate: fc.record({ maxSurge: intOrPercent, maxUnavailable: intOrPercent }) }),
        template: fc.record({ metadata: fc.record({ labels }), spec: fc.record({ containers: fc.array(container, { minLength: 1, maxLength: 3 }), nodeSelector: labels }) }),
      },
      { requiredKeys: ['template'] },
    ),
  });

  test.prop([deployment], { numRuns: 200 })('give back any Deployment they were made from', (d) => {
    expect(decode(encodeProtobuf(d))).toEqual(d);
  });

  it("write durations as Go's time.Duration does", () => {
    expect([0, 1, 1500, 250e6, 1.5e9, 90e9, 3723e9, -2e9].map(goDuration)).toEqual(['0s', '1ns', '1.5µs', '250ms', '1.5s', '1m30s', '1h2m3s', '-2s']);
  });
});
