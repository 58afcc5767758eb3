import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from './deep-freeze.js';
import {
  everything,
  nothing,
  parseSelector,
  SelectorError,
  selectorFromLabelSelector,
  selectorFromSet,
  selectorToString,
  validateLabelKey,
  validateLabelValue,
  type LabelSelector,
  type Labels,
} from './labels.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SelectorError);
    return (e as Error).message;
  }
  throw new Error('no error');
}

const KEY_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

describe('parseSelector', () => {
  it('reads the doc example', () => {
    const sel = parseSelector('tier in (b,a), app = web');
    expect(selectorToString(sel)).toBe('app=web,tier in (a,b)');
    expect(sel.matches({ app: 'web', tier: 'a' })).toBe(true);
    expect(parseSelector('env!=prod').matches({})).toBe(true);
    expect(errorOf(() => parseSelector('app web'))).toBe(
      "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt",
    );
  });

  it('reads every operator, and prints each as kubectl does', () => {
    const cases: [string, string][] = [
      ['a=b', 'a=b'],
      ['a==b', 'a==b'],
      ['a!=b', 'a!=b'],
      ['a in (x, y)', 'a in (x,y)'],
      ['a notin (y,x,y)', 'a notin (x,y)'],
      ['a', 'a'],
      ['!a', '!a'],
      ['a>1', 'a>1'],
      ['a<10', 'a<10'],
      ['a=', 'a='],
      ['a in ()', 'a in ()'],
      ['a in (,x)', 'a in (,x)'],
      ['a in (x,,y)', 'a in (,x,y)'],
      ['in in (in, notin)', 'in in (in,notin)'],
      ['example.com/team=blue', 'example.com/team=blue'],
      ['  b = 1 ,\ta\n', 'a,b=1'],
      ['', ''],
    ];
    for (const [input, printed] of cases) expect([input, parseSelector(input).toString()]).toEqual([input, printed]);
  });

  it('matches as the API server filters lists', () => {
    const web = { app: 'web', tier: 'frontend', replicas: '3' };
    const matches = (s: string, labels: Labels | undefined): boolean => parseSelector(s).matches(labels);
    expect(matches('app=web,tier=frontend', web)).toBe(true);
    expect(matches('app=web,tier=backend', web)).toBe(false);
    expect(matches('app in (web,db)', web)).toBe(true);
    expect(matches('app notin (web)', web)).toBe(false);
    expect(matches('env notin (prod)', web)).toBe(true);
    expect(matches('env', web)).toBe(false);
    expect(matches('!env', web)).toBe(true);
    expect(matches('app', web)).toBe(true);
    expect(matches('replicas>2,replicas<4', web)).toBe(true);
    expect(matches('tier>2', web)).toBe(false);
    expect(matches('env=', web)).toBe(false);
    expect(matches('env!=', web)).toBe(true);
    expect(matches('env!=prod', undefined)).toBe(true);
    expect(matches('app', undefined)).toBe(false);
    expect(matches('', undefined)).toBe(true);
    expect(matches('toString', {})).toBe(false);
    expect(matches('constructor in (a)', {})).toBe(false);
  });

  it('rejects bad syntax with the messages kubectl prints', () => {
    const cases: [string, string][] = [
      ['a in b', "unable to parse requirement: found 'b' expected: '('"],
      ['a in (b', "unable to parse requirement: found '', expected: ',' or ')'"],
      ['a in (b c)', "unable to parse requirement: found 'c', expected: ',' or ')'"],
      ['a in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
      ['a in (b,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
      ['a=(b)', "unable to parse requirement: found '(', expected: identifier"],
      ['!', "unable to parse requirement: found '', expected: identifier"],
      ['a,', "found '', expected: identifier after ','"],
      [',a', "found ',', expected: !, identifier, or 'end of string'"],
      ['a=b c', "found 'c', expected: ',' or 'end of string'"],
      ['!a=b', "found '=', expected: ',' or 'end of string'"],
    ];
    for (const [input, message] of cases) expect([input, errorOf(() => parseSelector(input))]).toEqual([input, message]);
  });

  it('rejects bad keys and values at the field paths upstream reports', () => {
    expect(errorOf(() => parseSelector('a_=b'))).toBe(`unable to parse requirement: <nil>: Invalid value: "a_": ${KEY_MSG}`);
    expect(errorOf(() => parseSelector('a=-b'))).toBe(
      `unable to parse requirement: values[0][a]: Invalid value: "-b": ${VALUE_MSG}`,
    );
    expect(errorOf(() => parseSelector('a in (-x,-y)'))).toBe(
      `unable to parse requirement: [values[0][a]: Invalid value: "-x": ${VALUE_MSG}, values[1][a]: Invalid value: "-y": ${VALUE_MSG}]`,
    );
    // Bounds are label values too, so a negative one is refused.
    expect(errorOf(() => parseSelector('a>-1'))).toBe(
      `unable to parse requirement: values[0][a]: Invalid value: "-1": ${VALUE_MSG}`,
    );
    expect(errorOf(() => parseSelector('a>x'))).toBe(
      `unable to parse requirement: values[0]: Invalid value: "x": for 'Gt', 'Lt' operators, the value must be an integer`,
    );
  });
});

describe('label validation', () => {
  it('accepts keys with a DNS prefix, and any value up to 63 characters', () => {
    expect(validateLabelKey('app.kubernetes.io/name')).toEqual([]);
    expect(validateLabelKey('MyName')).toEqual([]);
    expect(validateLabelValue('')).toEqual([]);
    expect(validateLabelValue('a'.repeat(63))).toEqual([]);
  });

  it('words each problem as upstream', () => {
    expect(validateLabelKey('-a')).toEqual([KEY_MSG]);
    expect(validateLabelKey('')).toEqual(['name part must be non-empty', KEY_MSG]);
    expect(validateLabelKey('/a')).toEqual(['prefix part must be non-empty']);
    expect(validateLabelKey('a'.repeat(64))).toEqual(['name part must be no more than 63 characters']);
    expect(validateLabelKey('Example.com/a')).toEqual([
      "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ]);
    expect(validateLabelKey('a/b/c')).toEqual([
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ]);
    expect(validateLabelValue('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(validateLabelValue('a b')).toEqual([VALUE_MSG]);
  });
});

describe('selectors from objects', () => {
  it('selects nothing for an absent selector, everything for an empty one', () => {
    expect(selectorFromLabelSelector(undefined).matches({ app: 'web' })).toBe(false);
    expect(selectorFromLabelSelector(null).matches({})).toBe(false);
    expect(selectorFromLabelSelector({}).matches({ app: 'web' })).toBe(true);
    expect(selectorFromLabelSelector({ matchLabels: {}, matchExpressions: [] }).matches({})).toBe(true);
    expect(nothing().selectable).toBe(false);
    expect(everything().isEmpty()).toBe(true);
  });

  it('converts a Deployment-style selector', () => {
    const sel = selectorFromLabelSelector({
      matchLabels: { tier: 'frontend', app: 'web' },
      matchExpressions: [
        { key: 'env', operator: 'NotIn', values: ['prod', 'dev'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'app', operator: 'Exists', values: [] },
      ],
    });
    expect(sel.toString()).toBe('app=web,app,!canary,env notin (dev,prod),tier=frontend');
    expect(sel.matches({ app: 'web', tier: 'frontend', env: 'test' })).toBe(true);
    expect(sel.matches({ app: 'web', tier: 'frontend', canary: 'yes' })).toBe(false);
  });

  it('answers for a frozen selector as for the same selector unfrozen, every time, errors included', () => {
    const selector = () => ({ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['a', 'b'] }] });
    const fresh = selectorFromLabelSelector(selector());
    const cached = deepFreeze(selector());
    for (let i = 0; i < 2; i++) {
      expect(selectorFromLabelSelector(cached).toString()).toBe(fresh.toString());
      expect(selectorFromLabelSelector(cached).matches({ app: 'web', env: 'b' })).toBe(true);
      expect(errorOf(() => selectorFromLabelSelector(deepFreeze({ matchExpressions: [{ key: 'a', operator: 'in', values: ['b'] }] })))).toBe(
        '"in" is not a valid label selector operator',
      );
    }
    // Not frozen all the way down: converted afresh, so a change shows.
    const open = Object.freeze({ matchLabels: { app: 'web' } as Record<string, string> });
    expect(selectorFromLabelSelector(open).toString()).toBe('app=web');
    open.matchLabels.app = 'api';
    expect(selectorFromLabelSelector(open).toString()).toBe('app=api');
  });

  it('reports bad selectors as the API server does', () => {
    expect(errorOf(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'in', values: ['b'] }] }))).toBe(
      '"in" is not a valid label selector operator',
    );
    expect(errorOf(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In' }] }))).toBe(
      "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty",
    );
    expect(errorOf(() => selectorFromLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['b', 'c'] }] }))).toBe(
      'values: Invalid value: []string{"b", "c"}: values set must be empty for exists and does not exist',
    );
    expect(errorOf(() => selectorFromLabelSelector({ matchLabels: { 'a b': 'c\n' } }))).toBe(
      `[key: Invalid value: "a b": ${KEY_MSG}, values[0][a b]: Invalid value: "c\\n": ${VALUE_MSG}]`,
    );
  });

  it('builds an exact-match selector from a label set', () => {
    const sel = selectorFromSet({ tier: 'frontend', app: 'web' });
    expect(sel.toString()).toBe('app=web,tier=frontend');
    expect(sel.matches({ app: 'web', tier: 'frontend', extra: 'x' })).toBe(true);
    expect(sel.matches({ app: 'web' })).toBe(false);
    expect(selectorFromSet({}).isEmpty()).toBe(true);
    expect(selectorFromSet(undefined).matches({ a: 'b' })).toBe(true);
  });
});

// Small pools, so that generated label sets often satisfy or just miss generated selectors.
const key = fc.constantFrom('app', 'tier', 'example.com/team', 'n');
const labelValue = fc.constantFrom('web', 'db', '', 'a.b', '1', '5', '12');
const labels: fc.Arbitrary<Labels> = fc.dictionary(key, labelValue, { maxKeys: 4 });
const values = fc.uniqueArray(labelValue, { minLength: 1, maxLength: 3 });
const expression = fc.oneof(
  fc.record({ key, operator: fc.constantFrom('In', 'NotIn'), values }),
  fc.record({ key, operator: fc.constantFrom('Exists', 'DoesNotExist') }),
);
const labelSelector: fc.Arbitrary<LabelSelector> = fc.record(
  { matchLabels: fc.dictionary(key, labelValue, { maxKeys: 2 }), matchExpressions: fc.array(expression, { maxLength: 3 }) },
  { requiredKeys: [] },
);
const requirementText = fc.oneof(
  fc.tuple(key, fc.constantFrom('=', '==', '!='), labelValue).map(([k, op, v]) => `${k}${op}${v}`),
  fc.tuple(key, fc.constantFrom(' in ', ' notin '), values).map(([k, op, vs]) => `${k}${op}(${vs.join(',')})`),
  fc.tuple(fc.constantFrom('', '!'), key).map(([not, k]) => `${not}${k}`),
  fc.tuple(key, fc.constantFrom('>', '<'), fc.integer({ min: 0, max: 13 })).map(([k, op, n]) => `${k}${op}${n}`),
);
const selectorText = fc.array(requirementText, { maxLength: 4 }).map((rs) => rs.join(','));

describe('selector laws', () => {
  test.prop([selectorText, fc.array(labels, { minLength: 1, maxLength: 8 })])(
    'parse(toString(sel)) selects the same label sets as sel',
    (text, sets) => {
      const sel = parseSelector(text);
      const back = parseSelector(sel.toString());
      expect(back.toString()).toBe(sel.toString());
      for (const set of sets) expect(back.matches(set)).toBe(sel.matches(set));
    },
  );

  test.prop([labelSelector, fc.array(labels, { minLength: 1, maxLength: 8 })])(
    'a LabelSelector prints to a string that selects the same label sets',
    (ls, sets) => {
      const sel = selectorFromLabelSelector(ls);
      const back = parseSelector(selectorToString(sel));
      for (const set of sets) expect(back.matches(set)).toBe(sel.matches(set));
    },
  );

  test.prop([labels, labels])('a selector built from a set matches that set, and any superset', (set, extra) => {
    const sel = selectorFromSet(set);
    expect(sel.matches(set)).toBe(true);
    expect(sel.matches({ ...extra, ...set })).toBe(true);
    expect(parseSelector(sel.toString()).matches(set)).toBe(true);
  });
});
