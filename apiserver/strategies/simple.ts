import { isDeepStrictEqual } from 'node:util';
import { fieldError, type FieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import type { KubeObject } from '../watch-cache.js';
import { setOwn } from '../patch/json-value.js';
import { validateMeta } from './_util.js';

/** ConfigMap, Secret, Namespace, Node, Event and Lease: kinds with few rules of their own. */

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_CONFIG_BYTES = 1024 * 1024;

function validateKeys(data: Record<string, string> | undefined, path: string): FieldError[] {
  return Object.keys(data ?? {})
    .filter((k) => !CONFIG_KEY.test(k))
    .map((k) => fieldError.invalid(`${path}[${k}]`, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
}

function size(...maps: Array<Record<string, string> | undefined>): number {
  return maps.reduce((n, m) => n + Object.entries(m ?? {}).reduce((x, [k, v]) => x + k.length + v.length, 0), 0);
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
    if (old?.immutable === true && !isDeepStrictEqual([obj.data, obj.binaryData], [old.data, old.binaryData])) {
      out.push(fieldError.forbidden('data', 'field is immutable when `immutable` is set'));
    }
    return out;
  },
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const secretStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: false,
  default(obj) {
    obj.type ??= 'Opaque';
    // stringData is write-only: merged into data, never stored.
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
    const out = validateMeta(obj).concat(validateKeys(data, 'data'));
    for (const [k, v] of Object.entries(data ?? {})) {
      if (!BASE64.test(v)) out.push(fieldError.invalid(`data[${k}]`, '<secret contents redacted>', 'illegal base64 data'));
    }
    if (size(data) > MAX_CONFIG_BYTES) out.push(fieldError.invalid('data', '<secret contents redacted>', 'Too long: must have at most 1048576 bytes'));
    if (old && old.type !== obj.type) out.push(fieldError.invalid('type', obj.type, 'field is immutable'));
    return out;
  },
  fields(obj: KubeObject) {
    return { type: String(obj.type ?? '') };
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

export const nodeStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: true,
  default() {},
  validate(obj) {
    return validateMeta(obj);
  },
  fields(obj) {
    return { 'spec.unschedulable': String((obj.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false) };
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
