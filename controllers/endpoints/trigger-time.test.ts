import { describe, expect, it } from 'vitest';
import type { Pod } from '../../api/schemas/pod.js';
import type { Service } from '../../api/schemas/service.js';
import { nextTriggerTime } from './trigger-time.js';

const service: Service = { metadata: { name: 'web', namespace: 'default', creationTimestamp: '2026-11-21T10:00:00Z' } };
const pod = (name: string, readySince?: string): Pod => ({
  metadata: { name, namespace: 'default' },
  status: readySince ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: readySince }] } : {},
});

describe('nextTriggerTime (the doc example)', () => {
  it('reports the earliest change since the last sync, and nothing when nothing changed', () => {
    const first = nextTriggerTime(undefined, service, [pod('a', '2026-11-21T10:00:05Z')]);
    expect(first.time).toBe('2026-11-21T10:00:00Z');

    const turned = pod('a', '2026-11-21T10:01:00Z');
    const second = nextTriggerTime(first.state, service, [turned]);
    expect(second.time).toBe('2026-11-21T10:01:00Z');

    expect(nextTriggerTime(second.state, service, []).time).toBeUndefined();
    expect(nextTriggerTime(second.state, service, [turned]).time).toBeUndefined();
  });

  it('takes the earliest of several pods that changed, and ignores pods without a Ready condition', () => {
    const state = nextTriggerTime(undefined, service, []).state;
    const out = nextTriggerTime(state, service, [pod('b', '2026-11-21T10:02:00Z'), pod('c', '2026-11-21T10:01:30.5Z'), pod('d')]);
    expect(out.time).toBe('2026-11-21T10:01:30.5Z');
  });
});
