import { describe, expect, it } from 'vitest';
import { ApiClientError, type KubeObject } from '../api/client.js';
import { FakeClock } from '../api/clock.js';
import { applyMergePatch } from '../apiserver/patch/merge-patch.js';
import { StageRunner } from './stage-runner.js';
import { defaultStages } from './stages/defaults.js';
import { applyStage } from './stages/engine.js';
import type { Stage } from './stages/stage.js';

const conflict = new ApiClientError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 409, reason: 'Conflict', message: 'stale' });

/** A one-object cache: `execute` writes straight into it, the way the informer's update would arrive. */
function harness(start: KubeObject, fail: (stage: Stage) => unknown = () => undefined) {
  const clock = new FakeClock(0);
  let obj: KubeObject | undefined = start;
  let rv = 1;
  const done: string[] = [];
  const runner: StageRunner = new StageRunner({
    stages: defaultStages(),
    clock,
    speed: 1,
    random: () => 0,
    current: () => obj,
    settled: (err) => err === conflict,
    execute: async (stage, o) => {
      const err = fail(stage);
      if (err) throw err;
      done.push(stage.name);
      const result = applyStage(stage, o, { now: 't', podIP: '10.244.1.2', nodeName: 'node-1' });
      obj = 'delete' in result ? undefined : { ...(applyMergePatch(o, result.patch) as KubeObject), metadata: { ...o.metadata, resourceVersion: String(++rv) } };
      queueMicrotask(() => (obj ? runner.evaluate('k') : runner.forget('k')));
    },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return { clock, runner, done, settle, obj: () => obj, set: (o: KubeObject) => (obj = o) };
}

const pod = (readinessProbe?: object): KubeObject => ({
  kind: 'Pod',
  metadata: { name: 'p', uid: 'u', resourceVersion: '1' },
  spec: { nodeName: 'node-1', containers: [{ name: 'c', image: 'i', ...(readinessProbe ? { readinessProbe } : {}) }] },
  status: { phase: 'Pending' },
});

describe('StageRunner on a fake clock', () => {
  it('chains stages, each after its own delay', async () => {
    // A readiness probe that first passes 2 s after the start: Ready a second after that.
    const h = harness(pod({ exec: { command: ['true'] }, initialDelaySeconds: 2 }));
    h.runner.evaluate('k');
    h.clock.advance(0);
    await h.settle();
    expect(h.done).toEqual(['pod-pending']);
    h.clock.advance(999);
    await h.settle();
    expect(h.done).toEqual(['pod-pending']);
    h.clock.advance(1);
    await h.settle();
    expect(h.done).toEqual(['pod-pending', 'pod-running-probed']);
    h.clock.advance(2999);
    await h.settle();
    expect(h.done).toEqual(['pod-pending', 'pod-running-probed']);
    h.clock.advance(1);
    await h.settle();
    expect(h.done).toEqual(['pod-pending', 'pod-running-probed', 'pod-ready']);
    expect(h.runner.armed()).toBe(0);
  });

  it('cancels the pending timer when the object changes to match another stage, or goes away', async () => {
    const h = harness(pod());
    h.runner.evaluate('k');
    h.clock.advance(0);
    await h.settle();
    const current = h.obj()!;
    h.set({ ...current, metadata: { ...current.metadata, resourceVersion: '9', deletionTimestamp: 't' } });
    h.runner.evaluate('k');
    h.clock.advance(0);
    await h.settle();
    expect(h.done).toEqual(['pod-pending', 'pod-delete']);
    expect(h.obj()).toBeUndefined();
    expect(h.clock.pending()).toBe(0);
  });

  it('does not act twice on one version after a conflict, and retries other failures', async () => {
    let failures: unknown[] = [conflict];
    const h = harness(pod(), () => failures.shift());
    h.runner.evaluate('k');
    h.clock.advance(0);
    await h.settle();
    h.runner.evaluate('k');
    h.clock.advance(5000);
    await h.settle();
    expect(h.done).toEqual([]);

    failures = [new Error('connection refused')];
    const again = harness(pod(), () => failures.shift());
    again.runner.evaluate('k');
    again.clock.advance(0);
    await again.settle();
    expect(again.done).toEqual([]);
    again.clock.advance(1000);
    await again.settle();
    expect(again.done).toEqual(['pod-pending']);
  });
});
