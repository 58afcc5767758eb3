import type { DescribeWriter } from './describe-writer.js';
import { since } from './describe-writer.js';
import type { Session } from './session.js';

export interface EventLike {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  source?: { component?: string; host?: string };
  reportingController?: string;
  series?: { count?: number; lastObservedTime?: string };
  metadata?: { creationTimestamp?: string };
}

/** The events about one object, oldest first: those naming its uid, or its kind and name. */
export async function eventsFor(s: Session, obj: { kind?: string; metadata?: { name?: string; namespace?: string; uid?: string } }): Promise<EventLike[]> {
  const m = obj.metadata ?? {};
  const selector = [`involvedObject.name=${m.name ?? ''}`, obj.kind ? `involvedObject.kind=${obj.kind}` : '', m.uid ? `involvedObject.uid=${m.uid}` : '']
    .filter(Boolean)
    .join(',');
  const path = m.namespace ? `/api/v1/namespaces/${encodeURIComponent(m.namespace)}/events` : '/api/v1/events';
  const list = await s.rest.request<{ items?: EventLike[] }>('GET', path, { query: { fieldSelector: selector } });
  return (list.items ?? []).slice().sort((a, b) => Date.parse(lastSeen(a) ?? '') - Date.parse(lastSeen(b) ?? ''));
}

function lastSeen(e: EventLike): string | undefined {
  return e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
}

/**
 * The `Events:` section kubectl ends a describe with:
 *
 *   Events:
 *     Type    Reason     Age   From               Message
 *     ----    ------     ----  ----               -------
 *     Normal  Scheduled  12s   default-scheduler  Successfully assigned default/web to node-1
 *     Normal  Pulled     3s (x4 over 1m)  kubelet  ...
 */
export function writeEvents(w: DescribeWriter, events: readonly EventLike[], now: number): void {
  if (events.length === 0) {
    w.line(0, 'Events:', '<none>');
    return;
  }
  w.line(0, 'Events:');
  w.line(1, 'Type', 'Reason', 'Age', 'From', 'Message');
  w.line(1, '----', '------', '----', '----', '-------');
  for (const e of events) {
    const count = e.series?.count ?? e.count ?? 1;
    const first = e.firstTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
    const age = count > 1 ? `${since(lastSeen(e), now)} (x${count} over ${since(first, now)})` : since(lastSeen(e), now);
    const from = e.source?.component || e.reportingController || '';
    w.line(1, e.type ?? '', e.reason ?? '', age, from, (e.message ?? '').trim());
  }
}
