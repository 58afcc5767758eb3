import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goQuote } from './go-quote.js';

/** Go's strconv.Unquote of what goQuote writes, enough to read every escape it uses back. */
function unquote(q: string): string {
  expect(q.startsWith('"') && q.endsWith('"')).toBe(true);
  const named: Record<string, string> = { '"': '"', '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };
  return q.slice(1, -1).replace(/\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8}|.)/g, (_, e: string) => {
    if (e.length === 1) return named[e]!;
    return String.fromCodePoint(parseInt(e.slice(1), 16));
  });
}

describe("Go's %q", () => {
  it('writes the examples of its doc comment', () => {
    expect(goQuote('a "b"\x1b')).toBe('"a \\"b\\"\\x1b"');
    expect(goQuote('\ufeffKEY')).toBe('"\\ufeffKEY"');
  });

  it('escapes what Go does not print, and prints the rest', () => {
    expect(goQuote('tab\tbell\x07del\x7f\u0085')).toBe('"tab\\tbell\\adel\\x7f\\u0085"');
    expect(goQuote('ü 日本 ✓')).toBe('"ü 日本 ✓"');
    expect(goQuote('\u00a0\u200b')).toBe('"\\u00a0\\u200b"');
    expect(goQuote('\u{e0001}')).toBe('"\\U000e0001"');
  });

  it('reads back as the string it quoted, and is one line of printable characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const q = goQuote(s);
        expect(unquote(q)).toBe(s);
        expect(q).not.toMatch(/[\x00-\x1f\x7f]/);
      }),
    );
  });

  it('is the string in quotes when every character is printable ASCII but a quote or backslash', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[ !#-[\]-~]*$/), (s) => {
        expect(goQuote(s)).toBe(`"${s}"`);
      }),
    );
  });
});
