import { fieldError, type FieldError } from '../errors.js';
import { goObjectError } from '../go-json.js';
import { setOwn } from '../patch/json-value.js';
import type { Strategy } from '../strategy.js';
import type { KubeObject } from '../watch-cache.js';
import { immutableChanges, MAX_CONFIG_BYTES, size, validateKeys } from './simple.js';
import { validateMeta } from './_util.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const REDACTED = '<secret contents redacted>';

/**
 * Secrets: `stringData` merged into `data` (and never kept), every value base64, and the keys
 * each built-in type needs, checked as upstream's ValidateSecret checks them:
 *
 *   kubernetes.io/dockerconfigjson   data[.dockerconfigjson], a JSON object   (kubectl create secret docker-registry)
 *   kubernetes.io/dockercfg          data[.dockercfg], a JSON object
 *   kubernetes.io/tls                data[tls.crt] and data[tls.key]         (kubectl create secret tls)
 *   kubernetes.io/basic-auth         data[username] or data[password]
 *   kubernetes.io/ssh-auth           data[ssh-privatekey], not empty
 *   kubernetes.io/service-account-token   the annotation kubernetes.io/service-account.name
 *
 * The type never changes; a Secret marked `immutable` keeps its data and the mark.
 */
export const secretStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: false,
  default(obj) {
    obj.type ??= 'Opaque';
    const stringData = obj.stringData as Record<string, string> | undefined;
    if (stringData) {
      const data = ((obj.data as Record<string, string> | undefined) ?? {}) as Record<string, string>;
      for (const [k, v] of Object.entries(stringData)) setOwn(data, k, Buffer.from(v).toString('base64'));
      obj.data = data;
      delete obj.stringData;
    }
  },
  validate(obj, old) {
    const data = obj.data as Record<string, string> | undefined;
    const out: FieldError[] = [];
    if (old && old.type !== obj.type) out.push(fieldError.invalid('type', obj.type, 'field is immutable'));
    if (old?.immutable === true) out.push(...immutableChanges(obj, old, ['data']));
    out.push(...validateMeta(obj), ...validateKeys(data, 'data'));
    let readable = true;
    for (const [k, v] of Object.entries(data ?? {})) {
      if (BASE64.test(v)) continue;
      readable = false;
      out.push(fieldError.invalid(`data[${k}]`, REDACTED, 'illegal base64 data'));
    }
    if (size(data) > MAX_CONFIG_BYTES) out.push(fieldError.invalid('data', REDACTED, 'Too long: must have at most 1048576 bytes'));
    if (readable) out.push(...typeRules(obj, data ?? {}));
    return out;
  },
  fields(obj: KubeObject) {
    return { type: String(obj.type ?? '') };
  },
};

const has = (data: Record<string, string>, key: string) => Object.hasOwn(data, key);
const bytes = (data: Record<string, string>, key: string) => Buffer.from(data[key] ?? '', 'base64');

function typeRules(obj: KubeObject, data: Record<string, string>): FieldError[] {
  switch (obj.type) {
    case 'kubernetes.io/service-account-token': {
      const annotations = (obj.metadata?.annotations ?? {}) as Record<string, string>;
      const name = 'kubernetes.io/service-account.name';
      return Object.hasOwn(annotations, name) && annotations[name] ? [] : [fieldError.required(`metadata.annotations[${name}]`)];
    }
    case 'kubernetes.io/dockercfg':
      return jsonObject(data, '.dockercfg');
    case 'kubernetes.io/dockerconfigjson':
      return jsonObject(data, '.dockerconfigjson');
    case 'kubernetes.io/basic-auth':
      // Either may be empty, but one of them must be there.
      return has(data, 'username') || has(data, 'password') ? [] : [fieldError.required('data[username]'), fieldError.required('data[password]')];
    case 'kubernetes.io/ssh-auth':
      return bytes(data, 'ssh-privatekey').length > 0 ? [] : [fieldError.required('data[ssh-privatekey]')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => !has(data, k)).map((k) => fieldError.required(`data[${k}]`));
    default:
      return [];
  }
}

/** A docker config key that must be there and hold a JSON object. */
function jsonObject(data: Record<string, string>, key: string): FieldError[] {
  if (!has(data, key)) return [fieldError.required(`data[${key}]`)];
  const why = goObjectError(bytes(data, key));
  return why === undefined ? [] : [fieldError.invalid(`data[${key}]`, REDACTED, why)];
}
