import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../api/client.js';
import { cadenceFor, findRun, nextLineAt, runLines, type ContainerRun } from './container-logs.js';

const T0 = Date.parse('2026-11-21T10:00:00Z');
const at = (s: number) => T0 + s * 1000;
const every10s = cadenceFor(1);
const web: ContainerRun = { container: 'web', image: 'nginx:1.25', id: 'minik://u1/web', startedAt: T0 };

function pod(status: Record<string, unknown> | undefined, containers = ['web']): KubeObject {
  return {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { nodeName: 'node-1', containers: containers.map((name) => ({ name, image: 'nginx:1.25' })) },
    ...(status ? { status: { containerStatuses: [{ name: 'web', image: 'nginx:1.25', containerID: 'minik://u1/web', ...status }] } } : {}),
  };
}

describe('runLines', () => {
  it('writes the worked example: a start line, then one line per 10 s of simulated time', () => {
    expect(runLines(web, at(25), every10s).map((l) => l.text)).toEqual([
      '2026-11-21T10:00:00.000Z minik: container web started (image nginx:1.25)',
      '2026-11-21T10:00:10.000Z minik: container web is running (10s)',
      '2026-11-21T10:00:20.000Z minik: container web is running (20s)',
    ]);
  });

  it('counts simulated seconds: at speed 50 a line every 200 ms still says 10s, 20s', () => {
    expect(runLines(web, T0 + 450, cadenceFor(50)).map((l) => [l.time - T0, l.text.slice(25)])).toEqual([
      [0, 'minik: container web started (image nginx:1.25)'],
      [200, 'minik: container web is running (10s)'],
      [400, 'minik: container web is running (20s)'],
    ]);
  });

  it('ends with the exit, and nothing after it however late it is read', () => {
    const done = { ...web, finishedAt: at(15), exitCode: 1, reason: 'Error' };
    const lines = runLines(done, at(100), every10s);
    expect(lines.map((l) => l.text.slice(25))).toEqual([
      'minik: container web started (image nginx:1.25)',
      'minik: container web is running (10s)',
      'minik: container web exited with code 1 (Error)',
    ]);
    expect(nextLineAt(done, at(15), every10s)).toBeUndefined();
  });

  it('is nothing before the container started', () => {
    expect(runLines(web, T0 - 1, every10s)).toEqual([]);
  });

  it('only grows as time passes, and nextLineAt says when the next line comes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 1, max: 60_000 }), fc.option(fc.integer({ min: 0, max: 120_000 })), (t, dt, fin) => {
        const r = fin === null ? web : { ...web, finishedAt: T0 + fin, exitCode: 0 };
        const before = runLines(r, T0 + t, every10s);
        const after = runLines(r, T0 + t + dt, every10s);
        expect(after.slice(0, before.length)).toEqual(before);
        const next = nextLineAt(r, T0 + t, every10s);
        const added = after.slice(before.length);
        if (added.length > 0) expect(added[0]!.time).toBe(next);
        else if (next !== undefined) expect(next).toBeGreaterThan(T0 + t + dt);
      }),
    );
  });
});

describe('findRun, as the kubelet picks what to read', () => {
  it('reads the running container', () => {
    expect(findRun(pod({ state: { running: { startedAt: '2026-11-21T10:00:00Z' } } }), 'web', false)).toEqual(web);
  });

  it('reads a container that ended, with its exit', () => {
    const p = pod({ state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-11-21T10:00:00Z', finishedAt: '2026-11-21T10:01:00Z' } } });
    expect(findRun(p, 'web', false)).toEqual({ ...web, finishedAt: at(60), exitCode: 0, reason: 'Completed' });
  });

  it('reads the run before a restart with previous, and refuses previous when there was none', () => {
    const p = pod({
      restartCount: 1,
      state: { running: { startedAt: '2026-11-21T10:02:00Z' } },
      lastState: { terminated: { exitCode: 137, reason: 'Error', startedAt: '2026-11-21T10:00:00Z', finishedAt: '2026-11-21T10:01:00Z' } },
    });
    expect(findRun(p, 'web', true)).toEqual({ ...web, finishedAt: at(60), exitCode: 137, reason: 'Error' });
    expect(findRun(p, 'web', false)).toEqual({ ...web, startedAt: at(120) });
    expect(findRun(pod({ state: { running: { startedAt: '2026-11-21T10:00:00Z' } } }), 'web', true)).toEqual({
      code: 400,
      message: 'previous terminated container "web" in pod "web-1" not found',
    });
  });

  it.each([
    [{ state: { waiting: { reason: 'ContainerCreating' } } }, 'container "web" in pod "web-1" is waiting to start: ContainerCreating'],
    [undefined, 'container "web" in pod "web-1" is waiting to start: ContainerCreating'],
    [{ state: { waiting: { reason: 'CreateContainerConfigError' } } }, 'container "web" in pod "web-1" is waiting to start: CreateContainerConfigError'],
    [{ state: { waiting: { reason: 'ErrImagePull' } } }, 'container "web" in pod "web-1" is waiting to start: image can\'t be pulled'],
    [{ state: { waiting: { reason: 'ImagePullBackOff' } } }, 'container "web" in pod "web-1" is waiting to start: trying and failing to pull image'],
    [{ state: {} }, 'container "web" in pod "web-1" is waiting to start - no logs yet'],
  ])('a container that has not run: %j is a 400 with the kubelet\'s words', (status, message) => {
    expect(findRun(pod(status), 'web', false)).toEqual({ code: 400, message });
  });

  it('a container the pod does not have is a 404', () => {
    expect(findRun(pod(undefined), 'db', false)).toEqual({ code: 404, message: 'container "db" not found in pod "web-1"' });
  });
});
