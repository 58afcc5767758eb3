import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { applyMergePatch } from '../../apiserver/patch/merge-patch.js';
import { defaultStages } from './defaults.js';
import { applyStage, matchingStage, stageDelayMs, type StageResult } from './engine.js';
import { withPodFacts } from './pod-facts.js';
import { selectorMatches } from './selector-matches.js';

const stages = defaultStages();
const ctx = { now: '2026-01-01T00:00:00Z', podIP: '10.244.0.7', nodeName: 'node-1' };
const PHASE_RANK: Record<string, number> = { Pending: 0, Running: 1, Succeeded: 2, Failed: 2 };
const rank = (pod: unknown) => PHASE_RANK[(pod as { status?: { phase?: string } }).status?.phase ?? 'Pending'] ?? 0;

type Obj = Record<string, unknown>;

/** Applies a stage result the way the caller will: merge patches, or the object is gone. */
function execute(obj: Obj, result: StageResult): Obj | undefined {
  return 'delete' in result ? undefined : (applyMergePatch(obj, result.patch) as Obj);
}

/** Runs the default stages until none matches; returns every state seen, the last undefined if deleted. */
function run(start: Obj, maxSteps = 10): { states: (Obj | undefined)[]; stages: string[] } {
  const states: (Obj | undefined)[] = [start];
  const names: string[] = [];
  let obj: Obj | undefined = start;
  while (obj && names.length < maxSteps) {
    const stage = matchingStage(stages, obj);
    if (!stage) break;
    names.push(stage.name);
    obj = execute(obj, applyStage(stage, obj, ctx));
    states.push(obj);
  }
  return { states, stages: names };
}

const containers = fc.uniqueArray(fc.constantFrom('web', 'sidecar', 'init', 'pi'), { minLength: 1, maxLength: 3 }).map((names) =>
  names.map((name) => ({ name, image: `${name}:1` })),
);
/** The same containers, one of them (any) with a readiness probe. */
const probed = fc
  .tuple(containers, fc.nat(), fc.nat(30))
  .map(([cs, which, delay]) => cs.map((c, i) => (i === which % cs.length ? { ...c, readinessProbe: { httpGet: { path: '/', port: 80 }, initialDelaySeconds: delay } } : c)));
const finishing = fc.record({ restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'), completes: fc.boolean() });

function boundPod(cs: Array<{ name: string; image: string }>, f: { restartPolicy: string; completes: boolean }): Obj {
  return {
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', uid: 'u', ...(f.completes ? { annotations: { 'minik.dev/completes': 'true' } } : {}) },
    spec: { nodeName: 'node-1', restartPolicy: f.restartPolicy, containers: cs },
    status: { phase: 'Pending' },
  };
}

const readyOf = (pod: Obj | undefined) =>
  ((pod?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []).find((c) => c.type === 'Ready')?.status;

describe('default stages', () => {
  it('lists every default stage once', () => {
    const names = stages.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('pod-ready'); // the example in defaults.ts
  });

  // Stronger than "one stage matches first": no two default stages match at all, so file order is
  // irrelevant and a reader can reason about each stage alone.
  test.prop([
    fc.record({
      phase: fc.constantFrom(undefined, 'Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'),
      nodeName: fc.option(fc.constant('node-1'), { nil: undefined }),
      deleting: fc.boolean(),
      statuses: fc.boolean(),
      ready: fc.constantFrom(undefined, 'True', 'False'),
      restartPolicy: fc.constantFrom(undefined, 'Always', 'OnFailure', 'Never'),
      completes: fc.boolean(),
      crash: fc.boolean(),
      exitCode: fc.constantFrom(undefined, '0', '2'),
      image: fc.constantFrom('i', 'i:missing'),
      state: fc.constantFrom(
        undefined,
        { running: {} },
        { terminated: { reason: 'Error', exitCode: 1 } },
        ...['ContainerCreating', 'PodInitializing', 'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff'].map((reason) => ({ waiting: { reason } })),
      ),
      restartCount: fc.nat(3),
      probe: fc.boolean(),
      init: fc.constantFrom(undefined, { running: {} }, { terminated: { exitCode: 0 } }, { waiting: { reason: 'PodInitializing' } }),
    }),
  ], { numRuns: 2000 })('no two stages match the same pod, whatever its phase', (p) => {
    const annotations = {
      ...(p.completes ? { 'minik.dev/completes': 'true' } : {}),
      ...(p.crash ? { 'minik.dev/crash': '3' } : {}),
      ...(p.exitCode ? { 'minik.dev/exit-code': p.exitCode } : {}),
    };
    const pod = {
      kind: 'Pod',
      metadata: { name: 'p', ...(p.deleting ? { deletionTimestamp: ctx.now } : {}), annotations },
      spec: { nodeName: p.nodeName, restartPolicy: p.restartPolicy, containers: [{ name: 'c', image: p.image, ...(p.probe ? { readinessProbe: { exec: { command: ['true'] } } } : {}) }], ...(p.init ? { initContainers: [{ name: 'i', image: 'i' }] } : {}) },
      status: {
        phase: p.phase,
        ...(p.statuses ? { containerStatuses: p.state ? [{ name: 'c', restartCount: p.restartCount, state: p.state }] : [] } : {}),
        ...(p.init && p.statuses ? { initContainerStatuses: [{ name: 'i', state: p.init }] } : {}),
        ...(p.ready ? { conditions: [{ type: 'Ready', status: p.ready }] } : {}),
      },
    };
    const matching = stages.filter((s) => s.resource === 'pod' && selectorMatches(s.selector, withPodFacts(pod)));
    expect(matching.length).toBeLessThanOrEqual(1);
    expect(matchingStage(stages, pod)?.name).toBe(matching[0]?.name);
  });

  test.prop([containers, finishing])('a bound pod with no readiness probe becomes Running and Ready in two steps and its phase never goes back', (cs, f) => {
    const { states, stages: names } = run(boundPod(cs, f));
    expect(names.slice(0, 2)).toEqual(['pod-pending', 'pod-running']);
    const ready = states[2]!;
    expect([(ready.status as Obj).phase, readyOf(ready)]).toEqual(['Running', 'True']);
    expect(((ready.status as Obj).containerStatuses as Array<{ ready: boolean }>).every((c) => c.ready)).toBe(true);
    for (let i = 1; i < states.length; i++) expect(rank(states[i])).toBeGreaterThanOrEqual(rank(states[i - 1]));
    const meantToFinish = f.completes && f.restartPolicy !== 'Always';
    expect(names.length).toBe(meantToFinish ? 3 : 2);
    expect((states.at(-1)!.status as Obj).phase).toBe(meantToFinish ? 'Succeeded' : 'Running');
  });

  test.prop([probed, finishing])('a bound pod with a readiness probe runs unready, then becomes Ready after its initial delay', (cs, f) => {
    const { states, stages: names } = run(boundPod(cs, f));
    expect(names.slice(0, 3)).toEqual(['pod-pending', 'pod-running-probed', 'pod-ready']);
    expect([(states[2]!.status as Obj).phase, readyOf(states[2])]).toEqual(['Running', 'False']);
    expect([(states[3]!.status as Obj).phase, readyOf(states[3])]).toEqual(['Running', 'True']);
    const delay = Math.max(...cs.map((c) => ('readinessProbe' in c ? c.readinessProbe.initialDelaySeconds : 0)));
    expect(stageDelayMs(stages.find((s) => s.name === 'pod-ready')!, 1, () => 0, withPodFacts(states[2]))).toBe(1000 + delay * 1000);
  });

  test.prop([containers, finishing, fc.nat(4)])('a pod deleted at any point is removed within two steps, phase never going back', (cs, f, at) => {
    const { states } = run(boundPod(cs, f));
    const victim = states[Math.min(at, states.length - 1)]!;
    const deleted = applyMergePatch(victim, { metadata: { deletionTimestamp: ctx.now } }) as Obj;
    const after = run(deleted);
    expect(after.states.at(-1)).toBeUndefined();
    expect(after.stages.length).toBeLessThanOrEqual(2);
    for (let i = 1; i < after.states.length - 1; i++) expect(rank(after.states[i])).toBeGreaterThanOrEqual(rank(after.states[i - 1]));
  });

  const crashing = fc.record({ restartPolicy: fc.constantFrom('Always', 'OnFailure', 'Never'), completes: fc.boolean() });
  test.prop([containers, crashing])('a crashing pod restarts with a rising count and back-off, or fails if it never restarts', (cs, f) => {
    const start = boundPod(cs, f);
    (start.metadata as { annotations?: Record<string, string> }).annotations = { 'minik.dev/crash': '2' };
    const { states, stages: names } = run(start, 20);
    const counts = states.map((s) => ((s?.status as { containerStatuses?: { restartCount?: number }[] } | undefined)?.containerStatuses ?? [])[0]?.restartCount ?? 0);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1]!);
    for (let i = 1; i < states.length; i++) expect(rank(states[i])).toBeGreaterThanOrEqual(rank(states[i - 1]));
    if (f.restartPolicy === 'Never') {
      expect(names).toEqual(['pod-pending', 'pod-running', 'pod-failed']);
      return;
    }
    expect(names.slice(0, 7)).toEqual(['pod-pending', 'pod-running', 'pod-container-error', 'pod-container-restart', 'pod-ready', 'pod-container-error', 'pod-crash-loop-backoff']);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(3);
    expect((states.at(-1)!.status as Obj).phase).toBe('Running');
  });

  it('a registered node becomes Ready, then heartbeats keep its transition time', () => {
    const { states, stages: names } = run({ kind: 'Node', metadata: { name: 'node-1' } }, 3);
    expect(names).toEqual(['node-initialize', 'node-heartbeat', 'node-heartbeat']);
    expect(readyOf(states.at(-1))).toBe('True');
  });
});
