import { goQuote } from '../../api/go-quote.js';
import { validateEnvVarName } from '../../api/names.js';
import { CtlError } from './errors.js';

/**
 * The KEY=VALUE pairs of an env file, as `kubectl create configmap|secret generic --from-env-file`
 * reads them (kubectl's AddFromEnvFile): a pair a line; leading white space, the first line's
 * byte order mark and each line's closing `\r` dropped; blank lines and `#` comments skipped. The
 * value is everything after the first `=` as it stands, quotes and trailing spaces included; a
 * line that is a bare KEY takes its value from the environment (empty if unset).
 *
 *   envFilePairs('app.env', Buffer.from('# the database\nHOST=db.local\nURL="a=b" \nHOME\n'), (k) => process.env[k])
 *     // [['HOST', 'db.local'], ['URL', '"a=b" '], ['HOME', '/root']]
 *   envFilePairs('app.env', Buffer.from('PORT = 5432\n'), () => undefined)
 *     // throws: "PORT " is not a valid key name: a valid environment variable name must consist of ...
 */
export function envFilePairs(path: string, bytes: Buffer, env: (name: string) => string | undefined): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (let start = 0, line = 1; start < bytes.length; line++) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    let raw = bytes.subarray(start, end);
    start = end + 1;
    if (raw.at(-1) === 0x0d) raw = raw.subarray(0, -1);
    let text: string;
    try {
      // The mark is kept here so that only the first line loses it, as kubectl's reader does.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
    } catch {
      throw new CtlError(`env file ${path} contains invalid utf8 bytes at line ${line}: [${[...raw].join(' ')}]`);
    }
    if (line === 1 && text.startsWith(BOM)) text = text.slice(BOM.length);
    text = text.replace(LEADING_SPACE, '');
    if (text === '' || text.startsWith('#')) continue;
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const errs = validateEnvVarName(key);
    if (errs.length > 0) throw new CtlError(`${goQuote(key)} is not a valid key name: ${errs.join(';')}`);
    pairs.push([key, eq < 0 ? (env(key) ?? '') : text.slice(eq + 1)]);
  }
  return pairs;
}

const BOM = '\ufeff';

/** Go's unicode.IsSpace: the Unicode White_Space property (a byte order mark is not one). */
const LEADING_SPACE = /^\p{White_Space}+/u;
