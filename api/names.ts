/**
 * Object names, checked and worded exactly as the Kubernetes API server does, so that a client
 * sees the same message from minik as from a real cluster:
 *
 *   validateDns1123Subdomain('my.app')  = []
 *   validateDns1123Label('my.app')      = ['must not contain dots']
 *   validateObjectName('Service', '1st') = ["a DNS-1035 label must consist of lower case alphanumeric
 *       characters or '-', start with an alphabetic character, and end with an alphanumeric character
 *       (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"]
 *   generateName('web-', () => 0)      = 'web-bbbbb'
 *
 * Each validator returns the list of problems (empty when the name is valid), as upstream does, so
 * the caller can attach a field path: `metadata.name: Invalid value: "1st": <message>`.
 */

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MAX = 63;

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX = 253;

const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_MAX = 63;

const dns1123Label = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123Subdomain = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035Label = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** Kubernetes' "too long" wording. Lengths are in bytes, as Go's len() counts them. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/**
 * Kubernetes' "does not match" wording. The odd ",  or" (comma, two spaces) between examples is
 * upstream's, and clients match on it, so it is kept.
 */
export function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  let out = `${msg} (e.g. `;
  examples.forEach((e, i) => {
    if (i > 0) out += ' or ';
    out += `'${e}', `;
  });
  return `${out}regex used for validation is '${fmt}')`;
}

export function emptyError(): string {
  return 'must be non-empty';
}

/** Length as Go measures it: UTF-8 bytes, not UTF-16 code units. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

export function validateDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!dns1123Label.test(value)) {
    // A valid subdomain that is not a valid label can only be failing on its dots (length was
    // reported above), and saying so is clearer than the regex.
    if (dns1123Subdomain.test(value)) errs.push('must not contain dots');
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, 'my-name', '123-abc'));
  }
  return errs;
}

export function validateDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!dns1123Subdomain.test(value)) {
    errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, 'example.com'));
  }
  return errs;
}

export function validateDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX) errs.push(maxLenError(DNS1035_LABEL_MAX));
  if (!dns1035Label.test(value)) {
    errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, 'my-name', 'abc-123'));
  }
  return errs;
}

const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';
const ENV_VAR_NAME_MSG = "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
const envVarName = new RegExp(`^${ENV_VAR_NAME_FMT}$`);

/**
 * Upstream's IsEnvVarName: what a key of `kubectl create configmap --from-env-file` must be.
 *
 *   validateEnvVarName('MY_ENV.NAME')   // []
 *   validateEnvVarName('..a')           // ["must not start with '..'"]
 */
export function validateEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarName.test(value)) errs.push(regexError(ENV_VAR_NAME_MSG, ENV_VAR_NAME_FMT, 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1'));
  // A name that would step out of a folder if it were used as a file name.
  if (value === '.') errs.push("must not be '.'");
  else if (value === '..') errs.push("must not be '..'");
  else if (value.startsWith('..')) errs.push("must not start with '..'");
  return errs;
}

/**
 * Checks a name, or with `prefix` a `metadata.generateName`, which may end in '-' because a random
 * suffix will follow it.
 */
export type NameValidator = (name: string, prefix?: boolean) => string[];

/**
 * Upstream's maskTrailingDash drops the last *two* characters before appending "a" (a long-standing
 * quirk); copied so that the same generateName values are accepted and rejected.
 */
function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDnsSubdomain: NameValidator = (name, prefix = false) =>
  validateDns1123Subdomain(prefix ? maskTrailingDash(name) : name);

export const nameIsDnsLabel: NameValidator = (name, prefix = false) =>
  validateDns1123Label(prefix ? maskTrailingDash(name) : name);

export const nameIsDns1035Label: NameValidator = (name, prefix = false) =>
  validateDns1035Label(prefix ? maskTrailingDash(name) : name);

/**
 * Kinds whose names are not DNS subdomains: a namespace becomes a DNS label in Service names, and a
 * Service's name becomes a DNS label that must not start with a digit.
 */
const nameValidators = new Map<string, NameValidator>([
  ['Namespace', nameIsDnsLabel],
  ['Service', nameIsDns1035Label],
]);

/** The name rule of a kind; most kinds, like Pod, ConfigMap and Deployment, use a DNS subdomain. */
export function nameValidatorFor(kind: string): NameValidator {
  return nameValidators.get(kind) ?? nameIsDnsSubdomain;
}

export function validateObjectName(kind: string, name: string, prefix = false): string[] {
  return nameValidatorFor(kind)(name, prefix);
}

/** The alphabet of generated names: no vowels (so no words) and no look-alikes such as 0/o, 1/l, 3/e. */
export const NAME_SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const SUFFIX_LENGTH = 5;
/** A generated name stays a valid DNS label: a base longer than this is cut. */
export const MAX_GENERATED_NAME_BASE = 63 - SUFFIX_LENGTH;

/** Five characters for `metadata.generateName`; `random` returns [0, 1) like Math.random. */
export function generateNameSuffix(random: () => number): string {
  let out = '';
  for (let i = 0; i < SUFFIX_LENGTH; i++) {
    const index = Math.min(Math.floor(random() * NAME_SUFFIX_ALPHABET.length), NAME_SUFFIX_ALPHABET.length - 1);
    out += NAME_SUFFIX_ALPHABET[Math.max(0, index)];
  }
  return out;
}

/** The name the API server gives an object created with `generateName: base`. */
export function generateName(base: string, random: () => number): string {
  return base.slice(0, MAX_GENERATED_NAME_BASE) + generateNameSuffix(random);
}
