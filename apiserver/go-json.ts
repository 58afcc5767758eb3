import { goQuote } from '../api/go-quote.js';

/**
 * What Go's `json.Unmarshal(bytes, &map[string]interface{}{})` says of bytes that are not a JSON
 * object (or null), word for word: the API server's message for a Secret whose
 * `.dockerconfigjson` is not one. Undefined when it takes them. The syntax is checked byte by byte
 * as Go's scanner does (encoding/json's scanner.go), so the character named and the words after
 * it are Go's.
 *
 *   goObjectError(Buffer.from('{"auths":{}}'))   // undefined
 *   goObjectError(Buffer.from('{"auths":}'))     // "invalid character '}' looking for beginning of value"
 *   goObjectError(Buffer.from('nope'))           // "invalid character 'o' in literal null (expecting 'u')"
 *   goObjectError(Buffer.from('[]'))             // 'json: cannot unmarshal array into Go value of type map[string]interface {}'
 */
export function goObjectError(bytes: Uint8Array): string | undefined {
  const syntax = goSyntaxError(bytes);
  if (syntax !== undefined) return syntax;
  const first = bytes.find((c) => !isSpace(c))!;
  const kind = first === 0x7b || first === 0x6e ? undefined : first === 0x5b ? 'array' : first === 0x22 ? 'string' : first === 0x74 || first === 0x66 ? 'bool' : 'number';
  return kind && `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

/** Go's json.Valid, with the SyntaxError it would give: undefined for valid JSON. */
export function goSyntaxError(bytes: Uint8Array): string | undefined {
  const s = new Scanner();
  for (const c of bytes) if (s.step(s, c) === ERROR) return s.error;
  return s.eof();
}

const ERROR = -1;
const MAX_DEPTH = 10_000;

type Step = (s: Scanner, c: number) => number;

/** Where in an object or array the scanner is, as Go's parseState. */
const enum Parse {
  ObjectKey,
  ObjectValue,
  ArrayValue,
}

class Scanner {
  step: Step = beginValue;
  stack: Parse[] = [];
  endTop = false;
  error: string | undefined;

  eof(): string | undefined {
    if (this.error !== undefined) return this.error;
    if (this.endTop) return undefined;
    this.step(this, 0x20);
    if (this.endTop) return undefined;
    return (this.error ??= 'unexpected end of JSON input');
  }

  fail(c: number, context: string): number {
    this.step = () => ERROR;
    this.error = `invalid character ${quoteChar(c)} ${context}`;
    return ERROR;
  }

  push(p: Parse, next: Step): number {
    this.stack.push(p);
    if (this.stack.length > MAX_DEPTH) {
      this.step = () => ERROR;
      this.error = 'exceeded max depth';
      return ERROR;
    }
    this.step = next;
    return 0;
  }

  pop(): number {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.step = endTop;
      this.endTop = true;
    } else {
      this.step = endValue;
    }
    return 0;
  }
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/** Go's quoteChar: a byte in single quotes, escaped as %q escapes it (a byte past 0x7f is that Latin-1 rune). */
function quoteChar(c: number): string {
  if (c === 0x27) return `'\\''`;
  if (c === 0x22) return `'"'`;
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

function go(s: Scanner, next: Step): number {
  s.step = next;
  return 0;
}

const beginValueOrEmpty: Step = (s, c) => (isSpace(c) ? 0 : c === 0x5d ? endValue(s, c) : beginValue(s, c));

const beginValue: Step = (s, c) => {
  if (isSpace(c)) return 0;
  switch (c) {
    case 0x7b:
      return s.push(Parse.ObjectKey, beginStringOrEmpty);
    case 0x5b:
      return s.push(Parse.ArrayValue, beginValueOrEmpty);
    case 0x22:
      return go(s, inString);
    case 0x2d:
      return go(s, neg);
    case 0x30:
      return go(s, zero);
    case 0x74:
      return go(s, literal('true', 1));
    case 0x66:
      return go(s, literal('false', 1));
    case 0x6e:
      return go(s, literal('null', 1));
  }
  if (c >= 0x31 && c <= 0x39) return go(s, digits);
  return s.fail(c, 'looking for beginning of value');
};

const beginStringOrEmpty: Step = (s, c) => {
  if (isSpace(c)) return 0;
  if (c === 0x7d) {
    s.stack[s.stack.length - 1] = Parse.ObjectValue;
    return endValue(s, c);
  }
  return beginString(s, c);
};

const beginString: Step = (s, c) => {
  if (isSpace(c)) return 0;
  if (c === 0x22) return go(s, inString);
  return s.fail(c, 'looking for beginning of object key string');
};

const endValue: Step = (s, c) => {
  const n = s.stack.length;
  if (n === 0) {
    s.step = endTop;
    s.endTop = true;
    return endTop(s, c);
  }
  if (isSpace(c)) return go(s, endValue);
  switch (s.stack[n - 1]!) {
    case Parse.ObjectKey:
      if (c === 0x3a) {
        s.stack[n - 1] = Parse.ObjectValue;
        return go(s, beginValue);
      }
      return s.fail(c, 'after object key');
    case Parse.ObjectValue:
      if (c === 0x2c) {
        s.stack[n - 1] = Parse.ObjectKey;
        return go(s, beginString);
      }
      if (c === 0x7d) return s.pop();
      return s.fail(c, 'after object key:value pair');
    case Parse.ArrayValue:
      if (c === 0x2c) return go(s, beginValue);
      if (c === 0x5d) return s.pop();
      return s.fail(c, 'after array element');
  }
};

const endTop: Step = (s, c) => (isSpace(c) ? 0 : s.fail(c, 'after top-level value'));

const inString: Step = (s, c) => {
  if (c === 0x22) return go(s, endValue);
  if (c === 0x5c) return go(s, inStringEscape);
  if (c < 0x20) return s.fail(c, 'in string literal');
  return 0;
};

const inStringEscape: Step = (s, c) => {
  if ('bfnrt\\/"'.includes(String.fromCharCode(c))) return go(s, inString);
  if (c === 0x75) return go(s, unicodeEscape(4));
  return s.fail(c, 'in string escape code');
};

function unicodeEscape(left: number): Step {
  return (s, c) => (isHex(c) ? go(s, left === 1 ? inString : unicodeEscape(left - 1)) : s.fail(c, 'in \\u hexadecimal character escape'));
}

const neg: Step = (s, c) => (c === 0x30 ? go(s, zero) : c >= 0x31 && c <= 0x39 ? go(s, digits) : s.fail(c, 'in numeric literal'));

const digits: Step = (s, c) => (isDigit(c) ? 0 : zero(s, c));

const zero: Step = (s, c) => (c === 0x2e ? go(s, dot) : c === 0x65 || c === 0x45 ? go(s, exponent) : endValue(s, c));

const dot: Step = (s, c) => (isDigit(c) ? go(s, fraction) : s.fail(c, 'after decimal point in numeric literal'));

const fraction: Step = (s, c) => (isDigit(c) ? 0 : c === 0x65 || c === 0x45 ? go(s, exponent) : endValue(s, c));

const exponent: Step = (s, c) => (c === 0x2b || c === 0x2d ? go(s, exponentSign) : exponentSign(s, c));

const exponentSign: Step = (s, c) => (isDigit(c) ? go(s, exponentDigits) : s.fail(c, 'in exponent of numeric literal'));

const exponentDigits: Step = (s, c) => (isDigit(c) ? 0 : endValue(s, c));

/** The rest of `true`, `false` or `null` after its first `at` letters. */
function literal(word: string, at: number): Step {
  return (s, c) => {
    if (c !== word.charCodeAt(at)) return s.fail(c, `in literal ${word} (expecting '${word[at]}')`);
    return go(s, at + 1 === word.length ? endValue : literal(word, at + 1));
  };
}
