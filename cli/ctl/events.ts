import { humanDuration } from '../../apiserver/table/human-duration.js';
import { ApiError, CtlError } from './errors.js';
import { alignToWidths } from './output.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface EventsOptions {
  allNamespaces?: boolean;
  for?: string;
  /** `--types=Warning` (repeatable, comma-separated): only events of these types. */
  types?: string[];
  watch?: boolean;
  noHeaders?: boolean;
}

function since(ts: string | undefined, now: number): string {
  const at = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

/** When an event was last seen, for sorting: its series, its last timestamp, its event time, its creation. */
export function lastSeen(e: Json): number {
  const ts = e.series?.lastObservedTime ?? e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp;
  const t = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * One row of `kubectl events` (its printOneEvent): LAST SEEN (with `(xN over AGE)` for a
 * repeated event), TYPE, REASON, OBJECT as `Kind/name`, MESSAGE; NAMESPACE first with `-A`.
 *
 *   eventRow({ type: 'Normal', reason: 'Scheduled', involvedObject: { kind: 'Pod', name: 'web-1' },
 *              message: 'Successfully assigned default/web-1 to node-1', eventTime: '...5 s ago...' }, now, false)
 *     // ['5s', 'Normal', 'Scheduled', 'Pod/web-1', 'Successfully assigned default/web-1 to node-1']
 */
export function eventRow(e: Json, now: number, withNamespace: boolean): string[] {
  const first = e.eventTime ? since(e.eventTime, now) : since(e.firstTimestamp ?? e.metadata?.creationTimestamp, now);
  let interval = first;
  if (e.series) interval = `${since(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`;
  else if ((e.count ?? 0) > 1) interval = `${since(e.lastTimestamp, now)} (x${e.count} over ${first})`;
  const io = e.involvedObject ?? {};
  return [
    ...(withNamespace ? [e.metadata?.namespace ?? ''] : []),
    interval,
    e.type ?? '',
    e.reason ?? '',
    `${io.kind ?? ''}/${io.name ?? ''}`,
    String(e.message ?? '').trim(),
  ];
}

/** The header of `kubectl events`. */
export function eventHeader(withNamespace: boolean): string[] {
  return [...(withNamespace ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
}

/** Events oldest first, as kubectl events sorts them (ties kept in the server's order). */
export function sortEvents(events: readonly Json[]): Json[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => lastSeen(a.e) - lastSeen(b.e) || a.i - b.i).map(({ e }) => e);
}

/**
 * `minikctl events [-A] [--for pod/web] [--types=Warning] [-w]`: the table kubectl events prints, oldest first,
 * then with `-w` one row per new or updated event until interrupted.
 *
 *   LAST SEEN   TYPE     REASON              OBJECT              MESSAGE
 *   12s         Normal   ScalingReplicaSet   Deployment/web      Scaled up replica set web-5d4f8 from 0 to 3
 */
export async function runEvents(s: Session, o: EventsOptions): Promise<number> {
  const ns = o.allNamespaces ? undefined : s.namespace;
  const path = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/events` : '/api/v1/events';
  let fieldSelector: string | undefined;
  if (o.for) {
    if (!/^[^/]+\/[^/]+$/.test(o.for)) throw new CtlError(`--for must be in resource/name form`);
    const [req] = parseResourceArgs(await s.resources(), [o.for]);
    if (!req || req.names.length !== 1) throw new CtlError(`--for must be in resource/name form`);
    fieldSelector = `involvedObject.kind=${req.resource.kind},involvedObject.name=${req.names[0]}`;
  }
  const types = (o.types ?? []).flatMap((t) => t.split(',')).filter((t) => t !== '');
  if (types.some((t) => !/^(normal|warning)$/i.test(t))) throw new CtlError('valid --types are Normal or Warning');
  const wanted = (e: Json) => types.length === 0 || types.some((t) => t.toLowerCase() === String(e.type ?? '').toLowerCase());
  const list = await s.rest.request<{ items?: Json[]; metadata?: { resourceVersion?: string } }>('GET', path, { query: { fieldSelector } });
  const withNs = Boolean(o.allNamespaces);
  const items = sortEvents((list.items ?? []).filter(wanted));
  let widths: number[] = [];
  if (items.length === 0 && !o.watch) {
    s.err(o.allNamespaces ? 'No events found.\n' : `No events found in ${s.namespace} namespace.\n`);
    return 0;
  }
  const rows = items.map((e) => eventRow(e, s.now(), withNs));
  const first = alignToWidths(o.noHeaders ? rows : [eventHeader(withNs), ...rows], []);
  widths = first.widths;
  s.out(first.text);
  if (!o.watch) return 0;
  let rv = list.metadata?.resourceVersion ?? '';
  for (;;) {
    const stream = s.rest.stream(path, { query: { watch: 'true', resourceVersion: rv, fieldSelector } }, (line) => {
      const e = line as { type: string; object: Json };
      if (e.type === 'ERROR') throw new ApiError(e.object);
      rv = e.object.metadata?.resourceVersion ?? rv;
      if ((e.type !== 'ADDED' && e.type !== 'MODIFIED') || !wanted(e.object)) return;
      const aligned = alignToWidths([eventRow(e.object, s.now(), withNs)], widths);
      widths = aligned.widths;
      s.out(aligned.text);
    });
    await stream.done;
  }
}
