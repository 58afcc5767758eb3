import { describe, expect, it } from 'vitest';
import { makePod } from './fixtures.js';
import { nonZeroRequests, podRequests } from './pod-requests.js';

describe('podRequests', () => {
  it('takes the larger of the containers and the largest init container, plus overhead (doc example)', () => {
    const pod = makePod([{ cpu: '100m' }, { cpu: '200m' }], {
      initContainers: [{ name: 'init', resources: { requests: { cpu: '500m' } } }],
      overhead: { cpu: '10m' },
    });
    expect(podRequests(pod)).toEqual({ milliCPU: 510, memory: 0 });
  });

  it('compares per resource', () => {
    const pod = makePod([{ cpu: '1', memory: '1Gi' }], {
      initContainers: [{ name: 'init', resources: { requests: { cpu: '2', memory: '1Mi' } } }],
    });
    expect(podRequests(pod)).toEqual({ milliCPU: 2000, memory: 1024 ** 3 });
  });

  it('adds sidecars to the app and to every init container after them', () => {
    const pod = makePod([{ cpu: '100m' }], {
      initContainers: [
        { name: 'side', restartPolicy: 'Always', resources: { requests: { cpu: '50m' } } },
        { name: 'init', resources: { requests: { cpu: '200m' } } },
      ],
    });
    // app: 100m + sidecar 50m = 150m; init runs beside the sidecar: 250m.
    expect(podRequests(pod).milliCPU).toBe(250);
  });
});

describe('nonZeroRequests', () => {
  it('counts 100m and 200Mi for a container that names no request, and keeps an explicit zero', () => {
    expect(nonZeroRequests(makePod([{}]))).toEqual({ milliCPU: 100, memory: 200 * 1024 * 1024 });
    expect(nonZeroRequests(makePod([{ cpu: 0, memory: 0 }]))).toEqual({ milliCPU: 0, memory: 0 });
    expect(nonZeroRequests(makePod([]))).toEqual({ milliCPU: 0, memory: 0 });
    expect(podRequests(makePod([{}]))).toEqual({ milliCPU: 0, memory: 0 });
  });
});

describe('podRequests, remembered', () => {
  it('reads a pod that can still change afresh each time, and a frozen one once', () => {
    const pod = makePod([{ cpu: '100m' }]);
    expect(podRequests(pod).milliCPU).toBe(100);
    pod.spec!.containers[0]!.resources = { requests: { cpu: '300m' } };
    expect(podRequests(pod).milliCPU).toBe(300);
    const frozen = Object.freeze(makePod([{ cpu: '200m', memory: '1Gi' }]));
    expect(podRequests(frozen)).toBe(podRequests(frozen));
    expect(nonZeroRequests(frozen)).toEqual({ milliCPU: 200, memory: 1024 ** 3 });
  });
});
