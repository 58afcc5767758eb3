/**
 * Field selectors (`kubectl --field-selector`, `?fieldSelector=`), parsed and printed as upstream's
 * k8s.io/apimachinery/pkg/fields does. Only equality is supported, and a value may hold ',', '=' or
 * '\' if escaped with a backslash:
 *
 *   const sel = parseFieldSelector('status.phase!=Running,metadata.name=web');
 *   sel.requirements()  = [{ field: 'metadata.name', operator: '=', value: 'web' },
 *                          { field: 'status.phase', operator: '!=', value: 'Running' }]
 *   sel.matches((f) => ({ 'metadata.name': 'web', 'status.phase': 'Pending' })[f])  = true
 *   parseFieldSelector('spec.nodeName=a\\,b').requirements()[0].value               = 'a,b'
 *   parseFieldSelector('metadata.name')  throws FieldSelectorError(
 *       "invalid selector: 'metadata.name'; can't understand 'metadata.name'")
 *
 * Which fields exist is the caller's business (it differs per resource): it checks
 * `requirements()` and rejects the others with "field label not supported: <field>".
 */

/** `==` is read as `=`, as upstream does. */
export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  readonly operator: FieldOperator;
  readonly value: string;
}

export interface FieldSelector {
  /** An absent field reads as "", so `a!=x` matches an object without `a`, and `a=` matches it too. */
  matches(get: (field: string) => string | undefined): boolean;
  /** In the order upstream keeps them: the terms sorted as written. */
  requirements(): readonly FieldRequirement[];
  /** The value an `=` term demands of `field`, so a caller can look it up by index. */
  requiresExactMatch(field: string): string | undefined;
  isEmpty(): boolean;
  toString(): string;
}

export class FieldSelectorError extends Error {
  override readonly name = 'FieldSelectorError';
}

/** Escapes a literal value for use in a selector string: `\` `,` `=` gain a backslash. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

function unescapeFieldValue(s: string): string {
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== '\\' && c !== ',' && c !== '=') {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
    } else if (c === '\\') {
      inSlash = true;
    } else if (c === ',' || c === '=') {
      // Upstream prints the rune with %v, which in Go is its number: "61" for '='.
      throw new FieldSelectorError(`invalid field selector: unescaped character in value: ${c.codePointAt(0)}`);
    } else {
      out += c;
    }
  }
  if (inSlash) throw new FieldSelectorError('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Commas split terms unless escaped; the backslash stays, for the value's own unescaping. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

/** The first operator wins and the field is taken literally: no escaping is possible on the left. */
function splitTerm(term: string): { field: string; op: string; rest: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of ['!=', '==', '=']) {
      if (term.startsWith(op, i)) return { field: term.slice(0, i), op, rest: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/** Go's byte order, which for strings is code point order (UTF-16 order differs past U+FFFF). */
function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

function selectorOf(reqs: FieldRequirement[]): FieldSelector {
  return {
    matches: (get) => reqs.every((r) => ((get(r.field) ?? '') === r.value) === (r.operator === '=')),
    requirements: () => reqs,
    requiresExactMatch: (field) => reqs.find((r) => r.field === field && r.operator === '=')?.value,
    isEmpty: () => reqs.length === 0,
    toString: () => reqs.map((r) => `${r.field}${r.operator}${escapeFieldValue(r.value)}`).join(','),
  };
}

/** The empty string selects everything. */
export function parseFieldSelector(selector: string): FieldSelector {
  const reqs: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort(compareCodePoints)) {
    if (term === '') continue;
    const parts = splitTerm(term);
    if (!parts) throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${term}'`);
    const value = unescapeFieldValue(parts.rest);
    // Upstream drops a term that is all operator ("=", "!="), as its transform step does.
    if (parts.field === '' && value === '') continue;
    reqs.push({ field: parts.field, operator: parts.op === '!=' ? '!=' : '=', value });
  }
  return selectorOf(reqs);
}

/**
 * Rejects a selector on any field outside `supported`, with the API server's message; the first
 * offending field, in the selector's order, is the one reported.
 */
export function assertSupportedFields(selector: FieldSelector, supported: Iterable<string>): void {
  const known = new Set(supported);
  for (const r of selector.requirements()) {
    if (!known.has(r.field)) throw new FieldSelectorError(`field label not supported: ${r.field}`);
  }
}
