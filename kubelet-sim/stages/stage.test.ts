import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseStage, StageError } from './stage.js';

// The worked example from stage.ts.
const example = parse(`
name: pod-ready
resource: pod
selector:
  matchExpressions:
    - { key: .metadata.deletionTimestamp, operator: DoesNotExist }
    - { key: .status.phase, operator: In, values: [Running] }
    - { key: '.status.conditions[type=Ready].status', operator: In, values: ['False'] }
delay: { durationMs: 1000 }
next:
  statusPatch: { conditions: [{ type: Ready, status: 'True', lastTransitionTime: '{{now}}' }] }
  event: { type: Normal, reason: Ready, message: 'Pod is ready' }
`) as Record<string, unknown>;

function errorOf(data: unknown): string {
  try {
    parseStage(data, 'test.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(StageError);
    return (e as Error).message;
  }
  throw new Error('expected parseStage to reject');
}

/** A malformed copy of the example, and the field its error must name. */
const breakages: [string, (s: any) => void][] = [
  ['name', (s) => (s.name = 'Pod_Ready')],
  ['resource', (s) => (s.resource = 'service')],
  ['delay.durationMs', (s) => (s.delay.durationMs = -1)],
  ['delay.jitterMs', (s) => (s.delay.jitterMs = 0.5)],
  ['selector.matchExpressions.1.operator', (s) => (s.selector.matchExpressions[1].operator = 'Equals')],
  ['selector.matchExpressions.1.values', (s) => delete s.selector.matchExpressions[1].values],
  ['selector.matchExpressions.0.values', (s) => (s.selector.matchExpressions[0].values = ['x'])],
  ['selector.matchExpressions.2.key', (s) => (s.selector.matchExpressions[2].key = 'status.phase')],
  ['selector.matchLabels.app', (s) => (s.selector.matchLabels = { app: 1 })],
  ['next.event.type', (s) => (s.next.event.type = 'Info')],
  ['next.statusPatch.conditions.0.lastTransitionTime', (s) => (s.next.statusPatch.conditions[0].lastTransitionTime = '{{today}}')],
  ['next.delete', (s) => (s.next.delete = true)],
  ['weight', (s) => (s.weight = -2)],
  ['delay.backoffFrom', (s) => (s.delay.backoffFrom = 'status.restartCount')],
  ['delay.secondsFrom', (s) => (s.delay.secondsFrom = 7)],
  ['next.events.0.message', (s) => (s.next.events = [{ type: 'Normal', reason: 'R', message: '{{container.name}}' }])],
  ['next.events.0.eachContainer', (s) => (s.next.events = [{ type: 'Normal', reason: 'R', message: 'm', eachContainer: 'yes' }])],
  ['next.statusPatch.cs.$eachContainer.$cases.0.when.matchExpressions.0.operator', (s) => (s.next.statusPatch.cs = { $eachContainer: { $cases: [{ when: { matchExpressions: [{ key: '.x', operator: 'Near' }] }, then: 1 }] } })],
  ['(root)', (s) => (s.extra = true)],
];

describe('parseStage', () => {
  it('accepts the worked example', () => {
    expect(parseStage(example).name).toBe('pod-ready');
  });

  test.prop([fc.constantFrom(...breakages)])('rejects malformed stage data, naming the field', ([field, breakIt]) => {
    const bad = structuredClone(example);
    breakIt(bad);
    const message = errorOf(bad);
    expect(message).toContain('Invalid stage');
    expect(message).toContain('test.yaml');
    expect(message).toContain(`${field}:`);
  });

  it('says what is wrong, not only where', () => {
    const noValues = structuredClone(example) as any;
    delete noValues.selector.matchExpressions[1].values;
    expect(errorOf(noValues)).toBe('Invalid stage "pod-ready" in test.yaml: selector.matchExpressions.1.values: In needs at least one value');
    expect(errorOf({ ...example, next: {} })).toContain('next: next does nothing');
    expect(errorOf({ ...example, next: { statusPatch: { x: '{{container.name}}' } } })).toContain('only allowed inside $eachContainer');
    expect(errorOf({ ...example, next: { statusPatch: { x: { $eachContainer: {}, y: 1 } } } })).toContain('must be the only key');
    expect(errorOf({ ...example, next: { statusPatch: { x: { $cases: [{ then: 1 }] } } } })).toContain('$cases is only allowed inside $eachContainer');
    expect(errorOf({ ...example, next: { statusPatch: { x: '{{double .a}}' } } })).toContain('unknown function "double" in {{double .a}}: use inc, backoff');
    const perContainer = { ...example, next: { events: [{ type: 'Normal', reason: 'Started', message: 'Started container {{container.name}}', eachContainer: true }] } };
    expect(parseStage(perContainer).next.events?.[0]?.eachContainer).toBe(true);
  });
});
