/**
 * Go's `%q` of a string (strconv.Quote), which Kubernetes and kubectl print bad values with: unlike
 * JSON it writes `\a`, `\v`, `\x1b` for control characters, and escapes every character Go does
 * not count as printable (letters, marks, numbers, punctuation, symbols and the ASCII space),
 * such as a byte order mark.
 *
 *   goQuote('a "b"\x1b')   // '"a \\"b\\"\\x1b"'
 *   goQuote('\ufeffKEY')   // '"\\ufeffKEY"'
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    const named = NAMED[ch];
    if (named !== undefined) out += named;
    else if (code < 0x20 || code === 0x7f) out += `\\x${hex(code, 2)}`;
    else if (code < 0x7f || PRINTABLE.test(ch)) out += ch;
    else if (code < 0x10000) out += `\\u${hex(code, 4)}`;
    else out += `\\U${hex(code, 8)}`;
  }
  return `${out}"`;
}

const NAMED: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};

/** unicode.IsPrint beyond ASCII: categories L, M, N, P and S. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
