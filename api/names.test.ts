import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import {
  generateName,
  generateNameSuffix,
  NAME_SUFFIX_ALPHABET,
  nameValidatorFor,
  validateDns1035Label,
  validateDns1123Label,
  validateDns1123Subdomain,
  validateEnvVarName,
  validateObjectName,
} from './names.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

describe('DNS names', () => {
  it('checks the doc examples', () => {
    expect(validateDns1123Subdomain('my.app')).toEqual([]);
    expect(validateDns1123Label('my.app')).toEqual(['must not contain dots']);
    expect(validateObjectName('Service', '1st')).toEqual([DNS1035_MSG]);
  });

  it('words a bad subdomain as kubectl prints it', () => {
    expect(validateDns1123Subdomain('My_App')).toEqual([SUBDOMAIN_MSG]);
    expect(validateDns1123Subdomain('-a')).toEqual([SUBDOMAIN_MSG]);
    expect(validateDns1123Subdomain('')).toEqual([SUBDOMAIN_MSG]);
  });

  it('reports length and pattern separately, length first', () => {
    expect(validateDns1123Subdomain('a'.repeat(253))).toEqual([]);
    expect(validateDns1123Subdomain('a'.repeat(254))).toEqual(['must be no more than 253 characters']);
    expect(validateDns1123Subdomain(`${'a'.repeat(254)}-`)).toEqual(['must be no more than 253 characters', SUBDOMAIN_MSG]);
    expect(validateDns1123Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
    expect(validateDns1035Label('a'.repeat(64))).toEqual(['must be no more than 63 characters']);
  });

  it('tells a label with bad characters from one that is only dotted', () => {
    expect(validateDns1123Label('Web')).toEqual([LABEL_MSG]);
    expect(validateDns1123Label('a..b')).toEqual([LABEL_MSG]);
    expect(validateDns1123Label('123-abc')).toEqual([]);
  });

  it('requires a Service name to start with a letter, but not a Namespace name', () => {
    expect(validateObjectName('Service', 'web-1')).toEqual([]);
    expect(validateObjectName('Namespace', '1st')).toEqual([]);
    expect(validateObjectName('Namespace', 'team.a')).toEqual(['must not contain dots']);
    expect(validateObjectName('Pod', 'team.a')).toEqual([]);
    expect(validateObjectName('ConfigMap', 'Team')).toEqual([SUBDOMAIN_MSG]);
    expect(nameValidatorFor('Deployment')).toBe(nameValidatorFor('Pod'));
    expect(validateObjectName('toString', 'a.b')).toEqual([]);
  });

  it('lets a generateName end in a dash, as the API server does', () => {
    expect(validateObjectName('Pod', 'web-', true)).toEqual([]);
    expect(validateObjectName('Pod', 'web-')).toEqual([SUBDOMAIN_MSG]);
    expect(validateObjectName('Service', 'web-', true)).toEqual([]);
    // Upstream replaces the last *two* characters with "a": "a.-" is checked as "aa", so passes.
    expect(validateObjectName('Namespace', 'a.-', true)).toEqual([]);
    expect(validateObjectName('Pod', '-', true)).toEqual([SUBDOMAIN_MSG]);
  });
});

describe('environment variable names', () => {
  const ENV_MSG =
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')";

  it('takes the names of its doc comment, and refuses as upstream does', () => {
    expect(validateEnvVarName('MY_ENV.NAME')).toEqual([]);
    expect(validateEnvVarName('..a')).toEqual(["must not start with '..'"]);
    expect(validateEnvVarName('.')).toEqual(["must not be '.'"]);
    expect(validateEnvVarName('..')).toEqual(["must not be '..'"]);
    expect(validateEnvVarName('a..b')).toEqual([]);
    expect(validateEnvVarName('1A')).toEqual([ENV_MSG]);
    expect(validateEnvVarName('')).toEqual([ENV_MSG]);
    expect(validateEnvVarName('..ü')).toEqual([ENV_MSG, "must not start with '..'"]);
  });
});

describe('generated names', () => {
  it('builds the doc example from an injected random source', () => {
    expect(generateName('web-', () => 0)).toBe('web-bbbbb');
    const rolls = [0, 0.5, 0.99, 0.2, 0.999999];
    expect(generateNameSuffix(() => rolls.shift() ?? 0)).toBe('br9h9');
  });

  it('cuts a long base so the generated name stays a DNS label', () => {
    const name = generateName('a'.repeat(70), () => 0.5);
    expect(name).toHaveLength(63);
    expect(validateDns1123Label(name)).toEqual([]);
  });

  test.prop([fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), { minLength: 5, maxLength: 5 })])(
    'draws five characters from the alphabet',
    (rolls) => {
      const suffix = generateNameSuffix(() => rolls.shift() ?? 0);
      expect(suffix).toMatch(new RegExp(`^[${NAME_SUFFIX_ALPHABET}]{5}$`));
    },
  );
});
