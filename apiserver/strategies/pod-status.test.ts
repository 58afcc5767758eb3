import { fc, test } from '@fast-check/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import type { ContainerStatus, PodStatus } from '../../api/schemas/pod.js';
import { inProcessApi } from '../../test/support/in-process-api.js';
import { validatePodStatusUpdate } from './pod-status.js';

const pods = resolveResource('pods')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const container = (name: string, state: ContainerStatus['state']): ContainerStatus => ({ name, state, ready: false, restartCount: 0, image: 'nginx', imageID: '' });
const terminated = (exitCode: number) => ({ terminated: { exitCode } });
const running = { running: { startedAt: '2026-11-22T10:00:00Z' } };
const pod = (restartPolicy: string, status: PodStatus, initContainers: object[] = []): KubeObject => ({
  metadata: { name: 'web' },
  spec: { restartPolicy, containers: [{ name: 'app', image: 'nginx' }], initContainers },
  status,
});
const errors = (obj: KubeObject, old: KubeObject) => validatePodStatusUpdate(obj, old).map((e) => `${e.field}: ${e.message}`);

describe("a pod's status update, by upstream's ValidatePodStatusUpdate", () => {
  it('keeps a container that finished for good finished (the doc example)', () => {
    const finished = pod('Never', { containerStatuses: [container('app', terminated(0))] });
    const withRunning = pod('Never', { containerStatuses: [container('app', running)] });
    expect(errors(withRunning, finished)).toEqual(['status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state']);
    expect(errors(finished, finished)).toEqual([]);
  });

  it('lets a container restart under Always, a failed one under OnFailure, and a sidecar init container', () => {
    expect(errors(pod('Always', { containerStatuses: [container('app', running)] }), pod('Always', { containerStatuses: [container('app', terminated(0))] }))).toEqual([]);
    expect(errors(pod('OnFailure', { containerStatuses: [container('app', running)] }), pod('OnFailure', { containerStatuses: [container('app', terminated(1))] }))).toEqual([]);
    expect(errors(pod('OnFailure', { containerStatuses: [container('app', running)] }), pod('OnFailure', { containerStatuses: [container('app', terminated(0))] }))).toEqual([
      'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    ]);
    const inits = [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }, { name: 'migrate', image: 'tool' }];
    const before = pod('Never', { initContainerStatuses: [container('proxy', terminated(0)), container('migrate', terminated(0))] }, inits);
    const after = pod('Never', { initContainerStatuses: [container('proxy', running), container('migrate', { waiting: {} } as ContainerStatus['state'])] }, inits);
    expect(errors(after, before)).toEqual(['status.initContainerStatuses[1].state: Forbidden: may not be transitioned to non-terminated state']);
  });

  it('holds pod and host IPs to IPs, and a newly nominated node to a node name', () => {
    const before = pod('Always', {});
    expect(errors(pod('Always', { podIP: '10.244.1.7', podIPs: [{ ip: '10.244.1.7' }], hostIP: '192.168.0.2', hostIPs: [{ ip: 'fd00::2' }] }), before)).toEqual([]);
    expect(errors(pod('Always', { podIP: '10.244.1.300', hostIPs: [{ ip: '192.168.0.2' }, { ip: 'node-1' }] }), before)).toEqual([
      'status.podIPs[0]: Invalid value: "10.244.1.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
      'status.hostIPs[1]: Invalid value: "node-1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    ]);
    expect(errors(pod('Always', { nominatedNodeName: 'Node_1' }), before)).toEqual([
      expect.stringMatching(/^status\.nominatedNodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain must consist of/),
    ]);
    // Kept as it was, it is not judged again.
    expect(errors(pod('Always', { nominatedNodeName: 'Node_1' }), pod('Always', { nominatedNodeName: 'Node_1' }))).toEqual([]);
  });

  const state = fc.constantFrom<ContainerStatus['state']>(running, { waiting: {} } as ContainerStatus['state'], terminated(0), terminated(1), terminated(137));
  test.prop([fc.constantFrom('Always', 'OnFailure', 'Never'), fc.array(state, { minLength: 1, maxLength: 3 }), fc.array(state, { minLength: 1, maxLength: 3 })])(
    'refuses exactly the updates that bring back a container that may not restart',
    (policy, was, now) => {
      const names = ['a', 'b', 'c'];
      const before = pod(policy, { containerStatuses: was.map((s, i) => container(names[i]!, s)) });
      const after = pod(policy, { containerStatuses: now.map((s, i) => container(names[i]!, s)) });
      const revived = was.filter((s, i) => {
        const code = s?.terminated?.exitCode;
        const final = code !== undefined && policy !== 'Always' && !(code !== 0 && policy === 'OnFailure');
        return final && i < now.length && !now[i]?.terminated;
      });
      expect(errors(after, before)).toHaveLength(revived.length);
    },
  );

  it('refuses such an update through the API, and keeps the status stored', async () => {
    const { client } = await inProcessApi(cleanups);
    const made = await client.create<KubeObject>(pods, 'default', { metadata: { name: 'job' }, spec: { restartPolicy: 'Never', containers: [{ name: 'app', image: 'nginx' }] } });
    const done = await client.updateStatus<KubeObject>(pods, 'default', { ...made, status: { ...(made.status as object), phase: 'Succeeded', containerStatuses: [container('app', terminated(0))] } });
    await expect(client.updateStatus(pods, 'default', { ...done, status: { ...(done.status as object), phase: 'Running', containerStatuses: [container('app', running)] } })).rejects.toMatchObject({
      code: 422,
      status: { message: 'Pod "job" is invalid: status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state' },
    });
    expect((await client.get(pods, 'default', 'job')).status).toMatchObject({ phase: 'Succeeded' });
  });
});
