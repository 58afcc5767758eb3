import { humanDuration } from '../../apiserver/table/human-duration.js';
import { alignTabs } from './tabwriter.js';

/**
 * The text of one `describe`, built as kubectl builds it: lines at an indent level, a label and
 * values separated by tabs, aligned at the end by a tab writer with two spaces of padding.
 *
 *   const w = new DescribeWriter();
 *   w.line(0, 'Name:', 'web');
 *   w.line(0, 'Namespace:', 'default');
 *   w.text()  // 'Name:       web\nNamespace:  default\n'
 */
export class DescribeWriter {
  private readonly lines: string[] = [];

  line(level: number, ...cells: string[]): void {
    this.lines.push('  '.repeat(level) + cells.join('\t'));
  }

  /** `Labels:  app=web` then one more line per further entry, or `<none>`. */
  map(level: number, label: string, m: Readonly<Record<string, string>> | undefined, skip: (k: string) => boolean = () => false): void {
    const keys = Object.keys(m ?? {})
      .filter((k) => !skip(k))
      .sort();
    if (keys.length === 0) return this.line(level, label, '<none>');
    // Further entries open with a bare tab, as kubectl writes them: aligned, they fall under the first.
    keys.forEach((k, i) => (i === 0 ? this.line(level, label, `${k}=${m![k]}`) : this.line(0, '', `${k}=${m![k]}`)));
  }

  /**
   * `Annotations:  key: value`, one per line, as kubectl prints them; the apply record is left
   * out, as kubectl leaves it out.
   */
  annotations(level: number, m: Readonly<Record<string, string>> | undefined, skip: (k: string) => boolean = () => false): void {
    const keys = Object.keys(m ?? {})
      .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration' && !skip(k))
      .sort();
    if (keys.length === 0) return this.line(level, 'Annotations:', '<none>');
    keys.forEach((k, i) => this.line(i === 0 ? level : 0, i === 0 ? 'Annotations:' : '', `${k}: ${m![k]!.trim().replace(/\n/g, ' ')}`));
  }

  /** The four lines most of kubectl's describers open with: Name, Namespace, Labels, Annotations. */
  header(meta: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } | undefined): void {
    this.line(0, 'Name:', meta?.name ?? '');
    this.line(0, 'Namespace:', meta?.namespace ?? '');
    this.map(0, 'Labels:', meta?.labels);
    this.annotations(0, meta?.annotations);
  }

  blank(): void {
    this.lines.push('');
  }

  text(): string {
    return `${alignTabs(this.lines.join('\n'), 2)}\n`;
  }

  /** The lines as written, tabs and all: what `kubectl rollout history --revision` prints, unaligned. */
  raw(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A timestamp as kubectl describe prints one (Go's RFC1123Z), in UTC.
 *
 *   rfc1123z('2024-05-01T12:00:05Z')  // 'Wed, 01 May 2024 12:00:05 +0000'
 */
export function rfc1123z(ts: string | undefined): string {
  const d = ts ? new Date(ts) : undefined;
  if (!d || Number.isNaN(d.getTime())) return '<unknown>';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${DAYS[d.getUTCDay()]}, ${p(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** How long ago, as the AGE column says it. */
export function since(ts: string | undefined, now: number): string {
  const at = ts ? Date.parse(ts) : NaN;
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}

/** The object's controller, as `Controlled By:` names it: `ReplicaSet/web-5d4f8`. */
export function controllerOf(meta: { ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> } | undefined): string | undefined {
  const ref = meta?.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}
