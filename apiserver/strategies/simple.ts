import { isDeepStrictEqual } from 'node:util';
import { fieldError, type FieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import type { KubeObject } from '../watch-cache.js';
import { validateMeta } from './_util.js';

/** ConfigMap, Namespace, Node, Event and Lease: kinds with few rules of their own. */

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function validateKeys(data: Record<string, string> | undefined, path: string): FieldError[] {
  return Object.keys(data ?? {})
    .filter((k) => !CONFIG_KEY.test(k))
    .map((k) => fieldError.invalid(`${path}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
}

export function size(...maps: Array<Record<string, string> | undefined>): number {
  return maps.reduce((n, m) => n + Object.entries(m ?? {}).reduce((x, [k, v]) => x + k.length + v.length, 0), 0);
}

/**
 * What an update of an object marked `immutable: true` may not do (upstream's ConfigMap and Secret
 * update rules): unmark it, or change any of `fields`.
 */
export function immutableChanges(obj: KubeObject, old: KubeObject, fields: readonly string[]): FieldError[] {
  const out: FieldError[] = [];
  if (obj.immutable !== true) out.push(fieldError.forbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const f of fields) if (!isDeepStrictEqual(obj[f], old[f])) out.push(fieldError.forbidden(f, 'field is immutable when `immutable` is set'));
  return out;
}

export const configMapStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: false,
  default() {},
  validate(obj, old) {
    const data = obj.data as Record<string, string> | undefined;
    const binary = obj.binaryData as Record<string, string> | undefined;
    const out = validateMeta(obj).concat(validateKeys(data, 'data'), validateKeys(binary, 'binaryData'));
    for (const k of Object.keys(data ?? {})) if (binary && Object.hasOwn(binary, k)) out.push(fieldError.invalid('data', k, 'duplicate of key present in binaryData'));
    if (size(data, binary) > MAX_CONFIG_BYTES) out.push(fieldError.invalid('', '<data>', 'must have at most 1048576 bytes'));
    if (old?.immutable === true) out.unshift(...immutableChanges(obj, old, ['data', 'binaryData']));
    return out;
  },
};

export const namespaceStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  prepareForCreate(obj) {
    obj.status = { phase: 'Active' };
    obj.spec = { finalizers: ['kubernetes'] };
  },
  default(obj) {
    const meta = (obj.metadata ??= {}) as { name?: string; labels?: Record<string, string> };
    if (meta.name) meta.labels = { ...(meta.labels ?? {}), 'kubernetes.io/metadata.name': meta.name };
  },
  validate(obj) {
    return validateMeta(obj);
  },
  fields(obj) {
    return { 'status.phase': String((obj.status as { phase?: string } | undefined)?.phase ?? '') };
  },
};

export const eventStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: false,
  default() {},
  validate(obj) {
    const out = validateMeta(obj);
    const involved = obj.involvedObject as { namespace?: string } | undefined;
    const ns = (obj.metadata as { namespace?: string }).namespace;
    if (involved?.namespace && ns && involved.namespace !== ns) {
      out.push(fieldError.invalid('involvedObject.namespace', involved.namespace, 'does not match event.namespace'));
    }
    return out;
  },
  fields(obj) {
    const io = (obj.involvedObject ?? {}) as Record<string, string | undefined>;
    const out: Record<string, string> = {
      reason: String(obj.reason ?? ''),
      type: String(obj.type ?? ''),
      'source': String((obj.source as { component?: string } | undefined)?.component ?? ''),
    };
    for (const f of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) out[`involvedObject.${f}`] = io[f] ?? '';
    return out;
  },
};

export const leaseStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  default() {},
  validate(obj) {
    const out = validateMeta(obj);
    const d = (obj.spec as { leaseDurationSeconds?: number } | undefined)?.leaseDurationSeconds;
    if (d !== undefined && d <= 0) out.push(fieldError.invalid('spec.leaseDurationSeconds', d, 'must be greater than 0'));
    return out;
  },
};

export const serviceAccountStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: false,
  default() {},
  validate(obj) {
    return validateMeta(obj);
  },
};
