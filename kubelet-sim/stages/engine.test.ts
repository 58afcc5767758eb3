import { describe, expect, it } from 'vitest';
import { defaultStages } from './defaults.js';
import { applyStage, matchingStage, stageDelayMs } from './engine.js';
import { parseStage, type Stage } from './stage.js';

const stage = (over: Partial<Stage>): Stage =>
  parseStage({ name: 's', resource: 'pod', selector: {}, delay: { durationMs: 0 }, next: { event: { type: 'Normal', reason: 'R', message: 'm' } }, ...over });

describe('matchingStage', () => {
  it('follows the worked example', () => {
    const pod = { kind: 'Pod', spec: { nodeName: 'node-1', containers: [] }, status: { phase: 'Pending' } };
    expect(matchingStage(defaultStages(), pod)?.name).toBe('pod-pending');
  });

  it('tries higher weights first, then list order', () => {
    const stages = [stage({ name: 'a' }), stage({ name: 'b', weight: 2 }), stage({ name: 'c', weight: 2 })];
    expect(matchingStage(stages, { kind: 'Pod' })?.name).toBe('b');
    expect(matchingStage([stage({ name: 'a' }), stage({ name: 'b' })], { kind: 'Pod' })?.name).toBe('a');
  });

  it('takes the resource from kind, and matches nothing without one', () => {
    const stages = [stage({ name: 'n', resource: 'node' })];
    expect(matchingStage(stages, { kind: 'Node' })?.name).toBe('n');
    expect(matchingStage(stages, { kind: 'Pod' })).toBeUndefined();
    expect(matchingStage(stages, {})).toBeUndefined();
  });
});

describe('applyStage', () => {
  it('follows the worked example: a deleting stage deletes with grace 0', () => {
    const podDelete = defaultStages().find((s) => s.name === 'pod-delete')!;
    expect(applyStage(podDelete, { kind: 'Pod' }, { now: 't' })).toEqual({ delete: { gracePeriodSeconds: 0 } });
  });

  it('adds and removes finalizers against the current list, once each', () => {
    const s = stage({ next: { finalizers: { add: ['minik.dev/sim', 'keep'], remove: ['old'] } } });
    const pod = { kind: 'Pod', metadata: { finalizers: ['keep', 'old'] } };
    expect(applyStage(s, pod, { now: 't' })).toEqual({ patch: { metadata: { finalizers: ['keep', 'minik.dev/sim'] } } });
  });

  it('fills placeholders in the event', () => {
    const s = stage({ next: { event: { type: 'Warning', reason: 'Crash', message: '{{.metadata.name}} on {{nodeName}} at {{now}}' } } });
    expect(applyStage(s, { metadata: { name: 'web-1' } }, { now: 't0', nodeName: 'node-1' })).toEqual({
      patch: {},
      event: { type: 'Warning', reason: 'Crash', message: 'web-1 on node-1 at t0' },
    });
  });
});

describe('applyStage, events with `when`', () => {
  const s = stage({
    next: {
      events: [
        { eachContainer: true, when: { matchExpressions: [{ key: '.sim.present', operator: 'DoesNotExist' }] }, type: 'Normal', reason: 'Pulling', message: '{{container.image}}' },
        { eachContainer: true, type: 'Normal', reason: 'Started', message: '{{container.name}}' },
        { when: { matchExpressions: [{ key: '.metadata.name', operator: 'In', values: ['web-1'] }] }, type: 'Normal', reason: 'Named', message: 'once' },
      ],
    },
  });
  const pod = (name: string) => ({ kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'y:1' }] } });

  it('writes one per container where it matches that container, and a plain one where it matches the object', () => {
    expect(applyStage(s, pod('web-1'), { now: 't', images: ['y:1'] }).events).toEqual([
      { type: 'Normal', reason: 'Pulling', message: 'x:1' },
      { type: 'Normal', reason: 'Started', message: 'a' },
      { type: 'Normal', reason: 'Started', message: 'b' },
      { type: 'Normal', reason: 'Named', message: 'once' },
    ]);
    expect(applyStage(s, pod('web-2'), { now: 't', images: ['x:1', 'y:1'] }).events?.map((e) => e.reason)).toEqual(['Started', 'Started']);
  });

  it('is refused when its selector is not one', () => {
    expect(() => stage({ next: { events: [{ when: { matchExpressions: [{ key: 'no-dot', operator: 'Exists' }] }, type: 'Normal', reason: 'R', message: 'm' }] } })).toThrow();
  });
});

describe('stageDelayMs', () => {
  const slow = stage({ delay: { durationMs: 1000, jitterMs: 500 } });

  it('follows the worked example', () => {
    expect(stageDelayMs(slow, 0.5, () => 0.5)).toBe(2500);
  });

  it('stays within duration and duration + jitter, scaled by speed', () => {
    expect(stageDelayMs(slow, 1, () => 0)).toBe(1000);
    expect(stageDelayMs(slow, 1, () => 0.999999)).toBe(1500);
    expect(stageDelayMs(slow, 0.2, () => 0)).toBe(5000);
    expect(() => stageDelayMs(slow, 0)).toThrow('speed must be a positive number, got 0');
  });
});
