// The event feed: newest first, one line per Event object, however often it repeats.

/**
 * When an Event last happened, in ms: the last time it was seen (series, lastTimestamp) before when
 * it was first seen (eventTime, firstTimestamp), and the object's creation as a last resort.
 * @param {any} ev
 */
export function eventTime(ev) {
  const t =
    ev?.series?.lastObservedTime ?? ev?.lastTimestamp ?? ev?.eventTime ?? ev?.firstTimestamp ?? ev?.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * The feed: events newest first, at most `limit`. Equal times (Events are stamped to the second)
 * fall back to the resourceVersion, which rises with every write, so a repeat that bumped an
 * Event's count moves it to the top.
 *
 *   feed([{reason:'Scheduled', lastTimestamp:'10:00:01', rv:5}, {reason:'Pulled', lastTimestamp:'10:00:01', rv:7}], 10)
 *     -> [Pulled, Scheduled]
 *
 * @param {Iterable<any>} events
 * @param {number} limit
 * @returns {any[]}
 */
export function feed(events, limit) {
  // A rollout leaves thousands of Events: keep the newest few in one pass, not a sort of them all.
  /** @type {{ e: any, t: number, rv: number }[]} */
  const top = [];
  const newer = (/** @type {{ t: number, rv: number }} */ a, /** @type {{ t: number, rv: number }} */ b) => a.t > b.t || (a.t === b.t && a.rv > b.rv);
  for (const e of events) {
    if (limit <= 0) break;
    const x = { e, t: timeOf(e), rv: Number(e?.metadata?.resourceVersion ?? 0) || 0 };
    if (top.length === limit && !newer(x, /** @type {{ t: number, rv: number }} */ (top[top.length - 1]))) continue;
    let i = top.length;
    while (i > 0 && newer(x, /** @type {{ t: number, rv: number }} */ (top[i - 1]))) i--;
    top.splice(i, 0, x);
    if (top.length > limit) top.pop();
  }
  return top.map((x) => x.e);
}

/** An Event's time, parsed once per object: the page keeps each object until the next change replaces it. */
const times = new WeakMap();
/** @param {any} e */
function timeOf(e) {
  if (e === null || typeof e !== 'object') return eventTime(e);
  let t = times.get(e);
  if (t === undefined) times.set(e, (t = eventTime(e)));
  return t;
}

/**
 * One line of the feed: "Scheduled pod/web-1: Successfully assigned default/web-1 to node-2",
 * with "(x3)" when it happened three times.
 * @param {any} ev
 */
export function eventLine(ev) {
  const kind = String(ev?.involvedObject?.kind ?? ev?.regarding?.kind ?? '').toLowerCase();
  const name = ev?.involvedObject?.name ?? ev?.regarding?.name ?? '';
  const count = ev?.series?.count ?? ev?.count ?? 1;
  return {
    warning: ev?.type === 'Warning',
    reason: String(ev?.reason ?? ''),
    object: kind ? `${kind}/${name}` : name,
    message: String(ev?.message ?? ev?.note ?? ''),
    count: count > 1 ? `(x${count})` : '',
  };
}
