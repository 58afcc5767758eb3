import { describe, expect, it } from 'vitest';
import { containerScope, podFacts, withPodFacts } from './pod-facts.js';

const pod = (annotations: Record<string, string>, restartPolicy?: string) => ({
  kind: 'Pod',
  metadata: { annotations },
  spec: { restartPolicy, containers: [{ name: 'c', image: 'nginx' }] },
});

describe('podFacts', () => {
  it('follows the worked example', () => {
    const facts = podFacts({ metadata: { annotations: { 'minik.dev/crash': '5' } }, spec: { containers: [{ name: 'c', image: 'nginx:missing' }] } });
    expect(facts).toEqual({ exit: { afterSeconds: 5, exitCode: 1 }, imagePull: { container: 'c', image: 'nginx:missing', message: expect.stringContaining('not found') } });
  });

  it('crashes with the exit code annotation when it is non-zero, and ignores annotations that are not numbers', () => {
    expect(podFacts(pod({ 'minik.dev/crash': '0.5', 'minik.dev/exit-code': '137' })).exit).toEqual({ afterSeconds: 0.5, exitCode: 137 });
    expect(podFacts(pod({ 'minik.dev/crash': '2', 'minik.dev/exit-code': '0' })).exit).toEqual({ afterSeconds: 2, exitCode: 1 });
    expect(podFacts(pod({ 'minik.dev/crash': 'soon' })).exit).toBeUndefined();
    expect(podFacts(pod({ 'minik.dev/crash': '-1' })).exit).toBeUndefined();
  });

  it('fails a pod meant to finish only with a non-zero exit code and a restartPolicy that lets it finish', () => {
    expect(podFacts(pod({ 'minik.dev/completes': 'true', 'minik.dev/exit-code': '3' }, 'Never')).exit).toEqual({ afterSeconds: 5, exitCode: 3 });
    expect(podFacts(pod({ 'minik.dev/completes': 'true', 'minik.dev/exit-code': '3' }, 'Always')).exit).toBeUndefined();
    expect(podFacts(pod({ 'minik.dev/completes': 'true', 'minik.dev/exit-code': '0' }, 'Never')).exit).toBeUndefined();
    expect(podFacts(pod({ 'minik.dev/exit-code': '3' }, 'Never')).exit).toBeUndefined();
  });

  it('knows a pod waits on a readiness probe, for as long as its slowest initialDelaySeconds', () => {
    const withProbes = (...delays: Array<number | undefined | 'none'>) => ({
      spec: { containers: delays.map((d, i) => ({ name: `c${i}`, image: 'nginx', ...(d === 'none' ? {} : { readinessProbe: d === undefined ? {} : { initialDelaySeconds: d } }) })) },
    });
    expect(podFacts(withProbes('none')).readiness).toBeUndefined();
    expect(podFacts(withProbes(undefined)).readiness).toEqual({ initialDelaySeconds: 0 });
    expect(podFacts(withProbes('none', 5, 12)).readiness).toEqual({ initialDelaySeconds: 12 });
    expect(podFacts(withProbes(-3)).readiness).toEqual({ initialDelaySeconds: 0 });
  });

  it('names the init container to run next, in spec order, until all completed', () => {
    const completed = { terminated: { exitCode: 0, reason: 'Completed' } };
    const withInits = (statuses: object[]) => ({
      spec: { initContainers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'y' }], containers: [] },
      status: { initContainerStatuses: statuses },
    });
    expect(podFacts(withInits([])).initContainer).toEqual({ name: 'a', image: 'x', index: 0, last: false, running: false, incomplete: 'a b' });
    expect(podFacts(withInits([{ name: 'a', state: completed }, { name: 'b', state: { running: {} } }])).initContainer).toEqual({
      name: 'b', image: 'y', index: 1, last: true, running: true, incomplete: 'b',
    });
    expect(podFacts(withInits([{ name: 'a', state: completed }, { name: 'b', state: completed }])).initContainer).toBeUndefined();
  });
});

describe('withPodFacts and containerScope', () => {
  it('adds facts beside what the simulator put under sim, and leaves other kinds alone', () => {
    const p = { ...pod({ 'minik.dev/crash': '1' }), sim: { configError: 'x' } };
    expect(withPodFacts(p).sim).toEqual({ configError: 'x', exit: { afterSeconds: 1, exitCode: 1 } });
    const node = { kind: 'Node', metadata: { annotations: { 'minik.dev/crash': '1' } } };
    expect(withPodFacts(node)).toBe(node);
  });

  it('gives a container its status and its own pull error', () => {
    const p = { spec: { containers: [{ name: 'a', image: 'nginx:missing' }] }, status: { containerStatuses: [{ name: 'a', restartCount: 2 }] } };
    expect(containerScope(p, { name: 'a', image: 'nginx:missing' }, false)).toEqual({
      name: 'a', image: 'nginx:missing', status: { name: 'a', restartCount: 2 }, sim: { pullError: expect.stringContaining('not found') },
    });
  });

  it('finds the next init container\'s image present on the node as an app container\'s', () => {
    const pod = { spec: { initContainers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y' }], containers: [] } };
    expect(podFacts(pod, ['x:1']).initContainer).toMatchObject({ name: 'a', present: true });
    expect(podFacts(pod, []).initContainer?.present).toBeUndefined();
    const second = { ...pod, status: { initContainerStatuses: [{ name: 'a', state: { terminated: { exitCode: 0 } } }] } };
    expect(podFacts(second, ['y']).initContainer).toMatchObject({ name: 'b' });
    expect(podFacts(second, ['y']).initContainer?.present).toBeUndefined();
  });

  it('finds an image present on the node unless the pull policy, given or defaulted as the API server does, is Always', () => {
    const present = (c: Record<string, unknown>, held = ['nginx:1.27', 'nginx', 'nginx:latest', 'r.io/a/b:2@sha256:00']) =>
      containerScope({}, { name: 'a', ...c }, false, held).sim as { present?: boolean };
    expect(present({ image: 'nginx:1.27' }).present).toBe(true);
    expect(present({ image: 'nginx:1.27' }, []).present).toBeUndefined();
    expect(present({ image: 'nginx:1.28' }).present).toBeUndefined();
    expect(present({ image: 'nginx' }).present).toBeUndefined();
    expect(present({ image: 'nginx:latest' }).present).toBeUndefined();
    expect(present({ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' }).present).toBe(true);
    expect(present({ image: 'nginx:1.27', imagePullPolicy: 'Always' }).present).toBeUndefined();
    expect(present({ image: 'nginx:1.27', imagePullPolicy: 'Never' }).present).toBe(true);
    expect(present({ image: 'r.io/a/b:2@sha256:00' }).present).toBe(true);
  });
});
