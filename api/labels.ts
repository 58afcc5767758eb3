/**
 * Label selectors, in the string syntax of `kubectl -l` and `?labelSelector=`, and in the
 * `matchLabels`/`matchExpressions` form of a Deployment or Service spec. Parsing, matching, errors
 * and the printed form follow Kubernetes, so a client sees what a real API server would say:
 *
 *   const sel = parseSelector('tier in (b,a), app = web');
 *   selectorToString(sel)                     = 'app=web,tier in (a,b)'
 *   sel.matches({ app: 'web', tier: 'a' })    = true
 *   parseSelector('env!=prod').matches({})    = true    (`!=` and `notin` match an absent label)
 *   parseSelector('app web')                  throws SelectorError(
 *       "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt")
 */
import { byteLength, emptyError, maxLenError, regexError, validateDns1123Subdomain } from './names.js';
import { goQuote } from './go-quote.js';

/** Upstream's selection.Operator values; 'gt' and 'lt' come from `a>1` and `a<1`. */
export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

export type Labels = Readonly<Record<string, string>>;

export interface Selector {
  /** Sorted by key. */
  readonly requirements: readonly Requirement[];
  /** False only for the selector that selects nothing, which has no requirements to list. */
  readonly selectable: boolean;
  matches(labels: Labels | undefined): boolean;
  /** True when nothing is required, so every label set matches. */
  isEmpty(): boolean;
  toString(): string;
}

export class SelectorError extends Error {
  override readonly name = 'SelectorError';
}

// ---- validation -----------------------------------------------------------------------------

const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const QUALIFIED_NAME_MSG =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX = 63;
const qualifiedName = new RegExp(`^${QUALIFIED_NAME_FMT}$`);

const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX = 63;
const labelValue = new RegExp(`^${LABEL_VALUE_FMT}$`);

/** Upstream's IsQualifiedName: an optional DNS subdomain and '/', then a name of up to 63 characters. */
export function validateLabelKey(key: string): string[] {
  const parts = key.split('/');
  const errs: string[] = [];
  let name: string;
  if (parts.length === 1) {
    name = key;
  } else if (parts.length === 2) {
    const prefix = parts[0] as string;
    name = parts[1] as string;
    if (prefix.length === 0) errs.push(`prefix part ${emptyError()}`);
    else errs.push(...validateDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  } else {
    return [
      `a qualified name ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}` +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  if (name.length === 0) errs.push(`name part ${emptyError()}`);
  else if (byteLength(name) > QUALIFIED_NAME_MAX) errs.push(`name part ${maxLenError(QUALIFIED_NAME_MAX)}`);
  if (!qualifiedName.test(name)) {
    errs.push(`name part ${regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, 'MyName', 'my.name', '123-abc')}`);
  }
  return errs;
}

/** Upstream's IsValidLabelValue: up to 63 characters, and the empty string is allowed. */
export function validateLabelValue(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX) errs.push(maxLenError(LABEL_VALUE_MAX));
  if (!labelValue.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, 'MyValue', 'my_value', '12345'));
  return errs;
}

// ---- Go's error text ----------------------------------------------------------------------------

/**
 * A bad value as field.Invalid prints it: strings quoted, a list in Go syntax (`[]string(nil)` for
 * the absent list that a matchExpression without values becomes).
 */
function badValue(value: string | readonly string[] | null): string {
  if (value === null) return '[]string(nil)';
  if (typeof value === 'string') return goQuote(value);
  return `[]string{${value.map(goQuote).join(', ')}}`;
}

function invalid(path: string, value: string | readonly string[] | null, detail: string): string {
  return `${path}: Invalid value: ${badValue(value)}: ${detail}`;
}

/** utilerrors.NewAggregate's text: one message alone, several in brackets, duplicates dropped. */
function aggregate(messages: readonly string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(', ')}]`;
}

// ---- requirements -------------------------------------------------------------------------------

const INT64 = /^[+-]?[0-9]+$/;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;

/** Go's strconv.ParseInt(s, 10, 64). */
function parseInt64(s: string): bigint | undefined {
  if (!INT64.test(s)) return undefined;
  const n = BigInt(s);
  return n < MIN_INT64 || n > MAX_INT64 ? undefined : n;
}

/**
 * Upstream's NewRequirement: every problem, not just the first, each at its field path. The
 * string parser and LabelSelectorAsSelector both call it without a base path, hence "values[0]".
 * `values` is null for a matchExpression that has none, which upstream prints differently.
 */
function newRequirement(key: string, operator: Operator, values: readonly string[] | null): Requirement {
  const vals = values ?? [];
  const errs: string[] = [];
  const keyErrs = validateLabelKey(key);
  if (keyErrs.length > 0) errs.push(invalid('key', key, keyErrs.join('; ')));
  switch (operator) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(invalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(invalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (parseInt64(v) === undefined) {
          errs.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
        }
      });
      break;
  }
  vals.forEach((v, i) => {
    const valueErrs = validateLabelValue(v);
    if (valueErrs.length > 0) errs.push(invalid(`values[${i}][${key}]`, v, valueErrs.join('; ')));
  });
  if (errs.length > 0) throw new SelectorError(aggregate(errs));
  return { key, operator, values: [...vals] };
}

/** The label's value, or undefined when the label is absent (values themselves are strings). */
function lookup(labels: Labels | undefined, key: string): string | undefined {
  return labels !== undefined && Object.hasOwn(labels, key) ? labels[key] : undefined;
}

function requirementMatches(r: Requirement, labels: Labels | undefined): boolean {
  const actual = lookup(labels, r.key);
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return actual !== undefined && r.values.includes(actual);
    case 'notin':
    case '!=':
      return actual === undefined || !r.values.includes(actual);
    case 'exists':
      return actual !== undefined;
    case '!':
      return actual === undefined;
    case 'gt':
    case 'lt': {
      if (actual === undefined || r.values.length !== 1) return false;
      const n = parseInt64(actual);
      const bound = parseInt64(r.values[0] as string);
      if (n === undefined || bound === undefined) return false;
      return r.operator === 'gt' ? n > bound : n < bound;
    }
  }
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const OPERATOR_TEXT: Record<Operator, string> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

function requirementToString(r: Requirement): string {
  if (r.operator === '!') return `!${r.key}`;
  if (r.operator === 'exists') return r.key;
  const values = r.values.length === 1 ? r.values[0] : [...r.values].sort(byCodeUnit).join(',');
  const text = r.operator === 'in' || r.operator === 'notin' ? `(${values})` : values;
  return `${r.key}${OPERATOR_TEXT[r.operator]}${text}`;
}

// ---- selectors ----------------------------------------------------------------------------------

function selectorOf(requirements: Requirement[]): Selector {
  // A stable sort: requirements on the same key keep their written order, as upstream's
  // insertion sort keeps them for any selector of a dozen requirements or fewer.
  const sorted = [...requirements].sort((a, b) => byCodeUnit(a.key, b.key));
  return {
    requirements: sorted,
    selectable: true,
    matches: (labels) => sorted.every((r) => requirementMatches(r, labels)),
    isEmpty: () => sorted.length === 0,
    toString: () => sorted.map(requirementToString).join(','),
  };
}

const EVERYTHING = selectorOf([]);
const NOTHING: Selector = {
  requirements: [],
  selectable: false,
  matches: () => false,
  isEmpty: () => false,
  toString: () => '',
};

export function everything(): Selector {
  return EVERYTHING;
}

export function nothing(): Selector {
  return NOTHING;
}

/** Kubernetes' canonical form: requirements by key, set values sorted, e.g. "app=web,tier in (a,b)". */
export function selectorToString(selector: Selector): string {
  return selector.toString();
}

/** Matches exactly the given labels (and any others); an empty set selects everything. Not validated, as upstream. */
export function selectorFromSet(labels: Labels | undefined): Selector {
  const entries = Object.entries(labels ?? {});
  return selectorOf(entries.map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

export type LabelSelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelSelectorRequirement {
  key: string;
  /** One of LabelSelectorOperator; typed loosely since it arrives in user JSON. */
  operator: string;
  values?: string[] | null;
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorRequirement[] | null;
}

const EXPRESSION_OPERATORS = new Map<string, Operator>([
  ['In', 'in'],
  ['NotIn', 'notin'],
  ['Exists', 'exists'],
  ['DoesNotExist', '!'],
]);

/**
 * Upstream's metav1.LabelSelectorAsSelector. The two "empty" cases differ on purpose:
 *
 *   selectorFromLabelSelector(undefined)  selects nothing      (no selector was given)
 *   selectorFromLabelSelector({})         selects everything   (a selector with no conditions)
 *
 * A caller whose API reads an absent selector as "everything" passes `ls ?? {}`.
 */
export function selectorFromLabelSelector(ls: LabelSelector | null | undefined): Selector {
  if (ls === null || ls === undefined) return NOTHING;
  if (!frozen(ls)) return convert(ls);
  // A controller asks it of the same cached object at every sync: converted once.
  let s = converted.get(ls);
  if (s === undefined) {
    try {
      s = convert(ls);
    } catch (err) {
      if (!(err instanceof SelectorError)) throw err;
      s = err;
    }
    converted.set(ls, s);
  }
  if (s instanceof SelectorError) throw s;
  return s;
}

const converted = new WeakMap<LabelSelector, Selector | SelectorError>();

/** Whether no one can change a selector: itself, its labels and its expressions frozen. */
function frozen(ls: LabelSelector): boolean {
  if (!Object.isFrozen(ls)) return false;
  if (ls.matchLabels && !Object.isFrozen(ls.matchLabels)) return false;
  const exprs = ls.matchExpressions;
  return !exprs || (Object.isFrozen(exprs) && exprs.every((e) => Object.isFrozen(e) && (!e.values || Object.isFrozen(e.values))));
}

function convert(ls: LabelSelector): Selector {
  const matchLabels = Object.entries(ls.matchLabels ?? {});
  const expressions = ls.matchExpressions ?? [];
  if (matchLabels.length + expressions.length === 0) return EVERYTHING;
  // Upstream walks a Go map here, in random order; sorting makes the first error reported stable.
  const requirements = matchLabels
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([key, value]) => newRequirement(key, '=', [value]));
  for (const expr of expressions) {
    const operator = EXPRESSION_OPERATORS.get(expr.operator);
    if (operator === undefined) throw new SelectorError(`${goQuote(expr.operator)} is not a valid label selector operator`);
    const values = expr.values && expr.values.length > 0 ? expr.values : null;
    requirements.push(newRequirement(expr.key, operator, values));
  }
  return selectorOf(requirements);
}

// ---- the string syntax --------------------------------------------------------------------------

type Token = 'error' | 'eos' | ')' | ',' | '!' | '==' | '=' | '>' | 'id' | 'in' | '<' | '!=' | 'notin' | '(';

interface Item {
  token: Token;
  literal: string;
}

// A Map, not an object literal: an identifier such as "toString" must not find a prototype member.
const KEYWORDS = new Map<string, Token>(
  [')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '('].map((t) => [t, t as Token]),
);

const isWhitespace = (ch: string): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isSpecial = (ch: string): boolean => ch.length === 1 && '=!(),><'.includes(ch);
// Upstream's lexer reads bytes and uses 0 for "end", so a NUL in the input also ends it.
const END = '\0';

/** A port of upstream's lexer, so that the same input splits into the same tokens and errors. */
function lex(s: string): Item[] {
  let pos = 0;
  const read = (): string => (pos < s.length ? (s[pos++] as string) : END);
  const unread = (): void => void pos--;

  const scanIdOrKeyword = (): Item => {
    let buffer = '';
    for (;;) {
      const ch = read();
      if (ch === END) break;
      if (isSpecial(ch) || isWhitespace(ch)) {
        unread();
        break;
      }
      buffer += ch;
    }
    return { token: KEYWORDS.get(buffer) ?? 'id', literal: buffer };
  };

  const scanSpecialSymbol = (): Item => {
    let last: Item | undefined;
    let buffer = '';
    for (;;) {
      const ch = read();
      if (ch === END) break;
      if (!isSpecial(ch)) {
        unread();
        break;
      }
      buffer += ch;
      const token = KEYWORDS.get(buffer);
      if (token !== undefined) {
        last = { token, literal: buffer };
      } else if (last) {
        unread();
        break;
      }
    }
    return last ?? { token: 'error', literal: `error expected: keyword found '${buffer}'` };
  };

  const items: Item[] = [];
  for (;;) {
    let ch = read();
    while (isWhitespace(ch)) ch = read();
    let item: Item;
    if (ch === END) {
      item = { token: 'eos', literal: '' };
    } else {
      unread();
      item = isSpecial(ch) ? scanSpecialSymbol() : scanIdOrKeyword();
    }
    items.push(item);
    if (item.token === 'eos') return items;
  }
}

/**
 * In a value position "in" and "notin" are plain words ("x in (in)"); after a key they are operators.
 */
type Context = 'keyAndOperator' | 'values';

const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

class Parser {
  private position = 0;
  constructor(private readonly items: Item[]) {}

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    for (;;) {
      const { token, literal } = this.lookahead('values');
      if (token === 'eos') return requirements;
      if (token !== 'id' && token !== '!') {
        throw new SelectorError(`found '${literal}', expected: !, identifier, or 'end of string'`);
      }
      try {
        requirements.push(this.parseRequirement());
      } catch (e) {
        throw new SelectorError(`unable to parse requirement: ${(e as Error).message}`);
      }
      const next = this.consume('values');
      if (next.token === 'eos') return requirements;
      if (next.token !== ',') throw new SelectorError(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.lookahead('values');
      if (after.token !== 'id' && after.token !== '!') {
        throw new SelectorError(`found '${after.literal}', expected: identifier after ','`);
      }
    }
  }

  private item(context: Context, advance: boolean): Item {
    const item = this.items[Math.min(this.position, this.items.length - 1)] as Item;
    if (advance) this.position++;
    if (context === 'values' && (item.token === 'in' || item.token === 'notin')) return { token: 'id', literal: item.literal };
    return item;
  }

  private lookahead(context: Context): Item {
    return this.item(context, false);
  }

  private consume(context: Context): Item {
    return this.item(context, true);
  }

  private parseRequirement(): Requirement {
    const { key, operator: inferred } = this.parseKeyAndInferOperator();
    if (inferred === 'exists' || inferred === '!') return newRequirement(key, inferred, []);
    const operator = this.parseOperator();
    const values = operator === 'in' || operator === 'notin' ? this.parseValues() : this.parseExactValue();
    // Upstream collects values in a set, which lists them sorted and without duplicates.
    return newRequirement(key, operator, [...values].sort(byCodeUnit));
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let operator: Operator | undefined;
    let { token, literal } = this.consume('values');
    if (token === '!') {
      operator = '!';
      ({ token, literal } = this.consume('values'));
    }
    if (token !== 'id') throw new Error(`found '${literal}', expected: identifier`);
    const keyErrs = validateLabelKey(literal);
    // The parser validates the key with a nil field path, which Go prints as "<nil>".
    if (keyErrs.length > 0) throw new Error(invalid('<nil>', literal, keyErrs.join('; ')));
    const next = this.lookahead('values').token;
    if ((next === 'eos' || next === ',') && operator !== '!') operator = 'exists';
    return { key: literal, operator };
  }

  private parseOperator(): Operator {
    const { token, literal } = this.consume('keyAndOperator');
    switch (token) {
      case 'in':
        return 'in';
      case '=':
        return '=';
      case '==':
        return '==';
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      case 'notin':
        return 'notin';
      case '!=':
        return '!=';
      default:
        throw new Error(`found '${literal}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume('values');
    if (open.token !== '(') throw new Error(`found '${open.literal}' expected: '('`);
    const { token, literal } = this.lookahead('values');
    if (token === 'id' || token === ',') {
      const values = this.parseIdentifiersList();
      if (this.consume('values').token !== ')') throw new Error(`found '${literal}', expected: ')'`);
      return values;
    }
    if (token === ')') {
      this.consume('values');
      return new Set(['']);
    }
    throw new Error(`found '${literal}', expected: ',', ')' or identifier`);
  }

  /** Empty values are allowed: "(,a)", "(a,)" and "(a,,b)" all include "". */
  private parseIdentifiersList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const { token, literal } = this.consume('values');
      if (token === 'id') {
        values.add(literal);
        const next = this.lookahead('values');
        if (next.token === ',') continue;
        if (next.token === ')') return values;
        throw new Error(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (token !== ',') throw new Error(`found '${literal}', expected: ',', or identifier`);
      if (values.size === 0) values.add('');
      const next = this.lookahead('values').token;
      if (next === ')') {
        values.add('');
        return values;
      }
      if (next === ',') {
        this.consume('values');
        values.add('');
      }
    }
  }

  /** `a=` and `a!=` compare against the empty value. */
  private parseExactValue(): Set<string> {
    const next = this.lookahead('values').token;
    if (next === 'eos' || next === ',') return new Set(['']);
    const { token, literal } = this.consume('values');
    if (token === 'id') return new Set([literal]);
    throw new Error(`found '${literal}', expected: identifier`);
  }
}

/**
 * The string syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`,
 * joined by commas; whitespace around tokens is ignored and the empty string selects everything.
 */
export function parseSelector(s: string): Selector {
  return selectorOf(new Parser(lex(s)).parse());
}
