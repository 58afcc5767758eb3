import { afterEach, describe, expect, it } from 'vitest';
import { resolveResource } from '../../api/resources.js';
import type { Pod } from '../../api/schemas/pod.js';
import type { Deployment } from '../../api/schemas/workloads.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const pods = resolveResource('pods')!;
const deployments = resolveResource('deployments')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A container of the course's env-echo app: its name from the downward API, config from a volume, a probe. */
const spec = (): NonNullable<Pod['spec']> => ({
  containers: [
    {
      name: 'app',
      image: 'env-echo:1',
      env: [
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
      ],
      readinessProbe: { httpGet: { port: 8080 } },
      livenessProbe: { exec: { command: ['true'] }, periodSeconds: 5 },
    },
  ],
  volumes: [
    { name: 'config', configMap: { name: 'app' } },
    { name: 'creds', secret: { secretName: 'db', defaultMode: 0o400 } },
    { name: 'host', hostPath: { path: '/var/log' } },
    { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }] } },
  ],
});

describe('pod defaults of the API server', () => {
  it('fill in what upstream fills in: field selectors v1, file modes 0644, probe timings, an HTTP probe on /', async () => {
    const { client } = await inProcessApi(cleanups);
    const pod = await client.create<Pod>(pods, 'default', { metadata: { name: 'app' }, spec: spec() });
    for (const s of [pod.spec!, (await client.create<Deployment>(deployments, 'default', web())).spec!.template.spec!]) {
      const c = s.containers[0]!;
      expect(c.env!.map((e) => e.valueFrom)).toEqual([
        { fieldRef: { fieldPath: 'metadata.name', apiVersion: 'v1' } },
        { resourceFieldRef: { resource: 'requests.cpu', divisor: '0' } },
        { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } },
      ]);
      expect(c.readinessProbe).toEqual({ httpGet: { port: 8080, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
      expect(c.livenessProbe).toMatchObject({ periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 3 });
      expect(s.volumes).toEqual([
        { name: 'config', configMap: { name: 'app', defaultMode: 420 } },
        { name: 'creds', secret: { secretName: 'db', defaultMode: 256 } },
        { name: 'host', hostPath: { path: '/var/log', type: '' } },
        { name: 'info', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels', apiVersion: 'v1' } }], defaultMode: 420 } },
      ]);
    }
  });
});

function web(): Deployment {
  return {
    metadata: { name: 'web' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: spec() } },
  } as Deployment;
}
