import type { LogLine } from './container-logs.js';

/** The kubelet's log options, read from `/containerLogs/...?tailLines=2&timestamps=true`. */
export interface LogQuery {
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines?: number;
  /** Milliseconds since the epoch: from sinceTime, or now minus sinceSeconds. */
  since?: number;
  limitBytes?: number;
}

/**
 * Reads and checks the query as the API server's PodLogOptions validation does; a string says what
 * is wrong (a 400).
 *
 *   parseLogQuery(new URLSearchParams('tailLines=2&sinceSeconds=60'), Date.parse('2026-11-21T10:01:00Z'))
 *   // { follow: false, previous: false, timestamps: false, tailLines: 2, since: Date.parse('2026-11-21T10:00:00Z') }
 *   parseLogQuery(new URLSearchParams('tailLines=-1'), now)   // 'tailLines: Invalid value: -1: must be greater than or equal to 0'
 */
export function parseLogQuery(q: URLSearchParams, now: number): LogQuery | string {
  const out: LogQuery = { follow: false, previous: false, timestamps: false };
  for (const key of ['follow', 'previous', 'timestamps'] as const) {
    const v = q.get(key);
    if (v === null || v === '') continue;
    const b = parseBool(v);
    if (b === undefined) return `${key}: Invalid value: "${v}": must be true or false`;
    out[key] = b;
  }
  const int = (key: string, min: number): number | string | undefined => {
    const v = q.get(key);
    if (v === null || v === '') return undefined;
    const n = Number(v);
    if (!Number.isSafeInteger(n)) return `${key}: Invalid value: "${v}": must be a whole number`;
    if (n < min) return `${key}: Invalid value: ${n}: must be greater than or equal to ${min}`;
    return n;
  };
  const tail = int('tailLines', 0);
  const limit = int('limitBytes', 1);
  const sinceSeconds = int('sinceSeconds', 1);
  for (const v of [tail, limit, sinceSeconds]) if (typeof v === 'string') return v;
  if (tail !== undefined) out.tailLines = tail as number;
  if (limit !== undefined) out.limitBytes = limit as number;
  const sinceTime = q.get('sinceTime');
  if (sinceTime && sinceSeconds !== undefined) return 'sinceSeconds: Forbidden: at most one of `sinceTime` or `sinceSeconds` may be specified';
  if (sinceSeconds !== undefined) out.since = now - (sinceSeconds as number) * 1000;
  if (sinceTime) {
    const t = Date.parse(sinceTime);
    if (Number.isNaN(t)) return `sinceTime: Invalid value: "${sinceTime}": must be an RFC 3339 time`;
    out.since = t;
  }
  return out;
}

/** Go's strconv.ParseBool, which is what the kubelet reads these with. */
function parseBool(v: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(v)) return false;
  return undefined;
}

/**
 * The lines a request shows, as the kubelet reads a log file: the last `tailLines` lines, then of
 * those only the ones written at or after `since`.
 *
 *   // lines written at 10:00:00, 10:00:10 and 10:00:20
 *   selectLines(lines, { tailLines: 2, since: Date.parse('2026-11-21T10:00:15Z') })   // the one at 10:00:20
 */
export function selectLines(lines: readonly LogLine[], q: Pick<LogQuery, 'tailLines' | 'since'>): LogLine[] {
  let out = q.tailLines === undefined ? [...lines] : q.tailLines === 0 ? [] : lines.slice(-q.tailLines);
  if (q.since !== undefined) out = out.filter((l) => l.time >= q.since!);
  return out;
}

/**
 * Lines as the kubelet writes them; with `timestamps` each starts with the time in RFC 3339 with
 * nanoseconds, as `kubectl logs --timestamps` shows it.
 *
 *   renderLines([{ time: Date.parse('2026-11-21T10:00:00Z'), text: 'hello' }], true)
 *   // '2026-11-21T10:00:00.000000000Z hello\n'
 */
export function renderLines(lines: readonly LogLine[], timestamps: boolean): string {
  let out = '';
  for (const l of lines) out += `${timestamps ? `${new Date(l.time).toISOString().replace('Z', '000000Z')} ` : ''}${l.text}\n`;
  return out;
}

/**
 * Caps what is written at `limitBytes` over a whole response, follow included, cutting mid-line
 * if need be, as the kubelet's LimitWriter does.
 *
 *   const cap = new ByteBudget(5);
 *   cap.take('hello world\n').toString()   // 'hello', and cap.spent is now true
 */
export class ByteBudget {
  private left: number;

  constructor(limitBytes: number | undefined) {
    this.left = limitBytes ?? Infinity;
  }

  get spent(): boolean {
    return this.left <= 0;
  }

  take(text: string): Buffer {
    const buf = Buffer.from(text, 'utf8');
    if (buf.length <= this.left) {
      this.left -= buf.length;
      return buf;
    }
    const cut = buf.subarray(0, this.left);
    this.left = 0;
    return cut;
  }
}
