import { describe, expect, it } from 'vitest';
import type { ContainerStatus, Pod } from '../../api/schemas/pod.js';
import { podSummary } from './pod-summary.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');
const ago = (s: number) => new Date(NOW - s * 1000).toISOString().replace('.000Z', 'Z');

/** A container status as the kubelet reports it. */
function status(name: string, state: ContainerStatus['state'], more: Partial<ContainerStatus> = {}): ContainerStatus {
  return {
    name,
    state,
    ready: false,
    restartCount: 0,
    image: 'docker.io/library/nginx:1.27',
    imageID: 'docker.io/library/nginx@sha256:0a1b2c',
    started: false,
    ...more,
  };
}
const running = (name: string, more: Partial<ContainerStatus> = {}) =>
  status(name, { running: { startedAt: ago(60) } }, { ready: true, started: true, containerID: `containerd://${name}`, ...more });
const waiting = (name: string, reason: string, more: Partial<ContainerStatus> = {}) => status(name, { waiting: { reason } }, more);
const terminated = (name: string, exitCode: number, reason?: string, more: Partial<ContainerStatus> = {}) =>
  status(name, { terminated: { exitCode, ...(reason ? { reason } : {}), finishedAt: ago(30) } }, more);

const cond = (type: string, s: 'True' | 'False', reason?: string) => ({ type, status: s, ...(reason ? { reason } : {}) });
const initialized = [cond('PodScheduled', 'True'), cond('Initialized', 'True')];

function pod(spec: Partial<NonNullable<Pod['spec']>>, st: NonNullable<Pod['status']>, meta: Pod['metadata'] = {}): Pod {
  return {
    metadata: { name: 'web-1', namespace: 'default', creationTimestamp: ago(300), ...meta },
    spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], nodeName: 'node-1', ...spec },
    status: st,
  };
}

describe('podSummary', () => {
  it('renders the doc example', () => {
    const crashing: Pod = {
      spec: { containers: [{ name: 'web' }] },
      status: {
        phase: 'Running',
        containerStatuses: [
          {
            name: 'web', ready: false, restartCount: 4, image: 'nginx', imageID: '',
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, finishedAt: '2024-05-01T12:00:00Z' } },
          },
        ],
      },
    };
    expect(podSummary(crashing, Date.parse('2024-05-01T12:00:20Z'))).toEqual({
      ready: '0/1',
      status: 'CrashLoopBackOff',
      restarts: '4 (20s ago)',
    });
  });

  it.each<[string, Pod, string, string, string]>([
    [
      'a running pod',
      pod({}, { phase: 'Running', conditions: [...initialized, cond('Ready', 'True')], containerStatuses: [running('web')] }),
      '1/1', 'Running', '0',
    ],
    [
      'a pod no node will take',
      pod({ nodeName: undefined }, { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'Unschedulable')] }),
      '0/1', 'Pending', '0',
    ],
    [
      'a pod held by a scheduling gate',
      pod({ nodeName: undefined }, { phase: 'Pending', conditions: [cond('PodScheduled', 'False', 'SchedulingGated')] }),
      '0/1', 'SchedulingGated', '0',
    ],
    [
      'a pod whose containers are being created',
      pod({}, { phase: 'Pending', conditions: initialized, containerStatuses: [waiting('web', 'ContainerCreating')] }),
      '0/1', 'ContainerCreating', '0',
    ],
    [
      'a pod whose image will not pull',
      pod({}, { phase: 'Pending', conditions: initialized, containerStatuses: [waiting('web', 'ErrImagePull')] }),
      '0/1', 'ErrImagePull', '0',
    ],
    [
      'a pod backing off an image pull',
      pod({}, { phase: 'Pending', conditions: initialized, containerStatuses: [waiting('web', 'ImagePullBackOff')] }),
      '0/1', 'ImagePullBackOff', '0',
    ],
    [
      'a finished job pod',
      pod({ restartPolicy: 'Never' }, { phase: 'Succeeded', conditions: initialized, containerStatuses: [terminated('web', 0, 'Completed')] }),
      '0/1', 'Completed', '0',
    ],
    [
      'a failed pod',
      pod({ restartPolicy: 'Never' }, { phase: 'Failed', conditions: initialized, containerStatuses: [terminated('web', 1, 'Error')] }),
      '0/1', 'Error', '0',
    ],
    [
      'a container killed without a reason',
      pod({}, { phase: 'Running', conditions: initialized, containerStatuses: [terminated('web', 137)] }),
      '0/1', 'ExitCode:137', '0',
    ],
    [
      'a container stopped by a signal',
      pod({}, { phase: 'Running', conditions: initialized, containerStatuses: [status('web', { terminated: { exitCode: 0, signal: 9 } })] }),
      '0/1', 'Signal:9', '0',
    ],
    [
      'a pod the kubelet evicted',
      pod({}, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }),
      '0/1', 'Evicted', '0',
    ],
    [
      'a running pod being deleted',
      pod({}, { phase: 'Running', conditions: initialized, containerStatuses: [running('web')] }, { deletionTimestamp: ago(-30) }),
      '1/1', 'Terminating', '0',
    ],
    [
      'a finished pod being deleted',
      pod({}, { phase: 'Succeeded', containerStatuses: [terminated('web', 0, 'Completed')] }, { deletionTimestamp: ago(-30) }),
      '0/1', 'Completed', '0',
    ],
    [
      'a pod on a lost node',
      pod({}, { phase: 'Running', reason: 'NodeLost', containerStatuses: [running('web')] }, { deletionTimestamp: ago(-30) }),
      '1/1', 'Unknown', '0',
    ],
  ])('%s', (_, p, ready, st, restarts) => {
    expect(podSummary(p, NOW)).toEqual({ ready, status: st, restarts });
  });

  describe('init containers', () => {
    const spec = {
      initContainers: [
        { name: 'migrate', image: 'migrate:1' },
        { name: 'warm', image: 'warm:1' },
      ],
    };

    it('counts the init containers done: Init:1/2', () => {
      const p = pod(spec, {
        phase: 'Pending',
        conditions: [cond('PodScheduled', 'True'), cond('Initialized', 'False', 'ContainersNotInitialized')],
        initContainerStatuses: [terminated('migrate', 0, 'Completed'), running('warm', { ready: false })],
        containerStatuses: [waiting('web', 'PodInitializing')],
      });
      expect(podSummary(p, NOW)).toEqual({ ready: '0/1', status: 'Init:1/2', restarts: '0' });
    });

    it('shows Init:0/2 while the first is still waiting to initialise', () => {
      const p = pod(spec, {
        phase: 'Pending',
        initContainerStatuses: [waiting('migrate', 'PodInitializing'), waiting('warm', 'PodInitializing')],
      });
      expect(podSummary(p, NOW).status).toBe('Init:0/2');
    });

    it('names a crashing init container, and counts only its restarts', () => {
      const p = pod(spec, {
        phase: 'Pending',
        initContainerStatuses: [
          waiting('migrate', 'CrashLoopBackOff', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(12) } } }),
          waiting('warm', 'PodInitializing'),
        ],
        containerStatuses: [waiting('web', 'PodInitializing', { restartCount: 9 })],
      });
      expect(podSummary(p, NOW)).toEqual({ ready: '0/1', status: 'Init:CrashLoopBackOff', restarts: '3 (12s ago)' });
    });

    it('names a failed init container: Init:Error, or its exit code without a reason', () => {
      const failed = (t: ContainerStatus) =>
        podSummary(pod(spec, { phase: 'Pending', initContainerStatuses: [t, waiting('warm', 'PodInitializing')] }), NOW).status;
      expect(failed(terminated('migrate', 1, 'Error'))).toBe('Init:Error');
      expect(failed(terminated('migrate', 2))).toBe('Init:ExitCode:2');
      expect(failed(status('migrate', { terminated: { exitCode: 143, signal: 15 } }))).toBe('Init:Signal:15');
    });

    it('counts a started sidecar among the containers, ready and restarts included', () => {
      const p = pod(
        { initContainers: [{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }] },
        {
          phase: 'Running',
          conditions: [...initialized, cond('Ready', 'True')],
          initContainerStatuses: [running('proxy', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(90) } } })],
          containerStatuses: [running('web')],
        },
      );
      expect(podSummary(p, NOW)).toEqual({ ready: '2/2', status: 'Running', restarts: '1 (90s ago)' });
    });
  });

  describe('several containers', () => {
    it('lets the first container with something to say speak for the pod', () => {
      const p = pod(
        { containers: [{ name: 'web' }, { name: 'log' }] },
        { phase: 'Running', conditions: initialized, containerStatuses: [waiting('web', 'CrashLoopBackOff'), waiting('log', 'ContainerCreating')] },
      );
      expect(podSummary(p, NOW)).toMatchObject({ ready: '0/2', status: 'CrashLoopBackOff' });
    });

    it('sums restarts and dates them by the latest exit', () => {
      const p = pod(
        { containers: [{ name: 'web' }, { name: 'log' }] },
        {
          phase: 'Running',
          conditions: [...initialized, cond('Ready', 'True')],
          containerStatuses: [
            running('web', { restartCount: 2, lastState: { terminated: { exitCode: 1, finishedAt: ago(3600) } } }),
            running('log', { restartCount: 3, lastState: { terminated: { exitCode: 1, finishedAt: ago(400) } } }),
          ],
        },
      );
      expect(podSummary(p, NOW)).toEqual({ ready: '2/2', status: 'Running', restarts: '5 (6m40s ago)' });
    });

    it('prints a bare count when no exit time is known', () => {
      const p = pod({}, { phase: 'Running', conditions: initialized, containerStatuses: [running('web', { restartCount: 2 })] });
      expect(podSummary(p, NOW).restarts).toBe('2');
    });

    it('keeps a pod with one container done and one running Running, or NotReady if not ready', () => {
      const statuses = [terminated('job', 0, 'Completed'), running('web')];
      const spec = { containers: [{ name: 'job' }, { name: 'web' }] };
      const ready = pod(spec, { phase: 'Running', conditions: [...initialized, cond('Ready', 'True')], containerStatuses: statuses });
      const notReady = pod(spec, { phase: 'Running', conditions: [...initialized, cond('Ready', 'False')], containerStatuses: statuses });
      expect(podSummary(ready, NOW)).toMatchObject({ ready: '1/2', status: 'Running' });
      expect(podSummary(notReady, NOW)).toMatchObject({ ready: '1/2', status: 'NotReady' });
    });
  });

  it('reads Pending for a pod the server has not yet given a phase', () => {
    expect(podSummary({ spec: { containers: [{ name: 'web' }] } }, NOW)).toEqual({ ready: '0/1', status: 'Pending', restarts: '0' });
  });
});
