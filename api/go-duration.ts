/**
 * Go's time.ParseDuration, as kubectl reads `--timeout=90s` or `--duration=1h30m`: a signed run of
 * decimal numbers, each with an optional fraction and a unit (ns, us, µs, ms, s, m, h), or a lone
 * `0`. The answer is in nanoseconds, exact; a bad text throws Go's error.
 *
 *   parseGoDuration('1h30m')   // 5_400_000_000_000n
 *   parseGoDuration('1.5s')    // 1_500_000_000n
 *   parseGoDuration('90')      // throws: time: missing unit in duration "90"
 */
export function parseGoDuration(text: string): bigint {
  const invalid = () => new DurationError(`time: invalid duration ${quote(text)}`);
  let s = text;
  let negative = false;
  if (s[0] === '-' || s[0] === '+') {
    negative = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw invalid();
  let total = 0n;
  while (s !== '') {
    if (!/^[0-9.]/.test(s)) throw invalid();
    const whole = /^[0-9]*/.exec(s)![0];
    s = s.slice(whole.length);
    let fraction = '';
    if (s[0] === '.') {
      fraction = /^[0-9]*/.exec(s.slice(1))![0];
      s = s.slice(1 + fraction.length);
      if (whole === '' && fraction === '') throw invalid();
    } else if (whole === '') {
      throw invalid();
    }
    const unitText = /^[^0-9.]*/.exec(s)![0];
    if (unitText === '') throw new DurationError(`time: missing unit in duration ${quote(text)}`);
    s = s.slice(unitText.length);
    const unit = UNITS[unitText];
    if (unit === undefined) throw new DurationError(`time: unknown unit ${quote(unitText)} in duration ${quote(text)}`);
    const v = BigInt(whole || '0');
    if (v > MAX / unit) throw invalid();
    let part = v * unit;
    const [f, scale] = leadingFraction(fraction);
    // Go takes the fraction through a float64, nanosecond-accurate up to hours.
    if (f > 0n) part += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
    total += part;
    if (total > MAX) throw invalid();
  }
  if (negative) return -total;
  if (total > MAX - 1n) throw invalid();
  return total;
}

export class DurationError extends Error {}

/** The digits after the point as Go's leadingFraction keeps them: as many as fit in 63 bits, over their scale. */
function leadingFraction(digits: string): [bigint, number] {
  let f = 0n;
  let scale = 1;
  let overflow = false;
  for (const d of digits) {
    if (overflow) continue;
    const next = f * 10n + BigInt(d);
    if (f > MAX / 10n || next > MAX) {
      overflow = true;
      continue;
    }
    f = next;
    scale *= 10;
  }
  return [f, scale];
}

const MAX = 1n << 63n;

const UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The time package's own quoting: `"` and `\` escaped, anything not printable ASCII as its UTF-8 bytes in \x. */
function quote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code >= 0x80) for (const b of Buffer.from(ch)) out += `\\x${b.toString(16).padStart(2, '0')}`;
    else out += ch === '"' || ch === '\\' ? `\\${ch}` : ch;
  }
  return `${out}"`;
}
