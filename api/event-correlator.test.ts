import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMBINED_PREFIX, EventCorrelator, type Correlation, type EventFacts } from './event-correlator.js';

const rs = { kind: 'ReplicaSet', namespace: 'default', name: 'web-5d8f', uid: 'u-rs', apiVersion: 'apps/v1' };
const created = (i: number): EventFacts => ({ type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: web-5d8f-${i}`, component: 'replicaset-controller', object: rs });

/** Plays events through a correlator as a recorder would, each write succeeding. */
function play(events: Array<{ facts: EventFacts; atMs: number }>): Correlation[] {
  const c = new EventCorrelator();
  let serial = 0;
  return events.map(({ facts, atMs }) => {
    const out = c.correlate(facts, atMs);
    if (out.write === 'create') c.written(out.key, `e-${serial++}`, out.count, out.firstMs);
    if (out.write === 'patch') c.written(out.key, out.name, out.count, out.firstMs);
    return out;
  });
}

describe('EventCorrelator', () => {
  it('writes a ReplicaSet scaled to 10,000 about 25 Events: 9 messages, then one combined Event patched', () => {
    const out = play(Array.from({ length: 10_000 }, (_, i) => ({ facts: created(i), atMs: i })));
    const writes = out.filter((o) => o.write !== 'none');
    expect(writes).toHaveLength(25);
    expect(writes.slice(0, 9).every((w) => w.write === 'create' && !w.message.startsWith(COMBINED_PREFIX))).toBe(true);
    expect(writes[9]).toMatchObject({ write: 'create', message: `${COMBINED_PREFIX}Created pod: web-5d8f-9`, count: 1 });
    expect(writes[24]).toMatchObject({ write: 'patch', message: `${COMBINED_PREFIX}Created pod: web-5d8f-24`, count: 16 });
    // Five minutes on, one more: the count says how many there were meanwhile.
    const later = play([...Array.from({ length: 10_000 }, (_, i) => ({ facts: created(i), atMs: i })), { facts: created(10_000), atMs: 310_000 }]);
    expect(later.at(-1)).toMatchObject({ write: 'patch', count: 10_000 - 9 + 1 });
  });

  it('patches a repeat with its count, and starts again once the object has been quiet for 10 minutes of similar events', () => {
    const backOff: EventFacts = { type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container', component: 'kubelet', host: 'node-1', object: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1' } };
    const out = play([0, 10_000, 20_000].map((atMs) => ({ facts: backOff, atMs })));
    expect(out.map((o) => [o.write, o.write === 'none' ? 0 : o.count])).toEqual([['create', 1], ['patch', 2], ['patch', 3]]);
  });

  const facts = fc.record({
    object: fc.constantFrom('a', 'b'),
    component: fc.constantFrom('kubelet', 'scheduler'),
    reason: fc.constantFrom('Pulled', 'BackOff'),
    message: fc.integer({ min: 0, max: 14 }).map((i) => `m${i}`),
  }).map((f): EventFacts => ({ type: 'Normal', reason: f.reason, message: f.message, component: f.component, object: { kind: 'Pod', namespace: 'ns', name: f.object, uid: f.object } }));
  const stream = fc.array(fc.tuple(facts, fc.integer({ min: 0, max: 400_000 })), { maxLength: 300 }).map((steps) => {
    let t = 0;
    return steps.map(([f, gap]) => ({ facts: f, atMs: (t += gap) }));
  });

  it('never lets a source write more than 25 Events about an object, plus one per 5 minutes', () => {
    fc.assert(
      fc.property(stream, (events) => {
        const out = play(events);
        const bySource = new Map<string, number[]>();
        out.forEach((o, i) => {
          if (o.write === 'none') return;
          const k = `${events[i]!.facts.component}/${events[i]!.facts.object.name}`;
          bySource.set(k, [...(bySource.get(k) ?? []), events[i]!.atMs]);
        });
        for (const times of bySource.values()) {
          for (let i = 0; i < times.length; i++) for (let j = i; j < times.length; j++) expect(j - i + 1).toBeLessThanOrEqual(25 + (times[j]! - times[i]!) / 300_000 + 1e-9);
        }
      }),
    );
  });

  it('patches only Events it wrote, each write counting every occurrence of the event, dropped ones too', () => {
    // Messages of fewer than 10 kinds are never combined: each event is its own key.
    const uncombined = stream.map((events) => events.map((e) => ({ ...e, facts: { ...e.facts, message: `m${Number(e.facts.message.slice(1)) % 9}` } })));
    fc.assert(
      fc.property(uncombined, (events) => {
        const out = play(events);
        const occurrences = new Map<string, number>();
        const createdFor = new Map<string, string>();
        let serial = 0;
        out.forEach((o, i) => {
          const f = events[i]!.facts;
          const k = JSON.stringify([f.component, f.object.name, f.reason, f.message]);
          occurrences.set(k, (occurrences.get(k) ?? 0) + 1);
          if (o.write === 'none') return;
          expect(o.message).toBe(f.message);
          expect(o.count).toBe(occurrences.get(k));
          if (o.write === 'patch') expect(createdFor.get(k)).toBe(o.name);
          else createdFor.set(k, `e-${serial++}`);
        });
      }),
    );
  });

  it('combines the 10th different message of a reason seen without a 10-minute pause, never an earlier one', () => {
    fc.assert(
      fc.property(stream, (events) => {
        const out = play(events);
        const epochs = new Map<string, { lastMs: number; messages: Set<string>; combined: boolean }>();
        out.forEach((o, i) => {
          const { facts: f, atMs } = events[i]!;
          const k = `${f.component}/${f.object.name}/${f.reason}`;
          let epoch = epochs.get(k);
          if (!epoch || atMs - epoch.lastMs > 600_000) epoch = { lastMs: atMs, messages: new Set(), combined: false };
          epoch.messages.add(f.message);
          epoch.lastMs = atMs;
          epochs.set(k, epoch);
          const combined = o.write !== 'none' && o.message.startsWith(COMBINED_PREFIX);
          if (epoch.messages.size < 10) expect(combined).toBe(false);
          if (epoch.messages.size === 10 && !epoch.combined && o.write !== 'none') expect(combined).toBe(true);
          if (epoch.messages.size >= 10) epoch.combined = true;
        });
      }),
    );
  });
});
