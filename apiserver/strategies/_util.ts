import { validateLabelKey, validateLabelValue } from '../../api/labels.js';
import { fieldError, type FieldError } from '../errors.js';
import type { KubeObject } from '../watch-cache.js';
import { jsonEqual } from '../../api/json-equal.js';

/** Label and annotation rules every kind shares (ValidateObjectMeta). */
export function validateMeta(obj: KubeObject, path = 'metadata'): FieldError[] {
  const meta = (obj.metadata ?? {}) as { labels?: Record<string, string>; annotations?: Record<string, string> };
  return validateLabels(meta.labels, `${path}.labels`).concat(validateAnnotations(meta.annotations, `${path}.annotations`));
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const m of validateLabelKey(k)) out.push(fieldError.invalid(path, k, m));
    for (const m of validateLabelValue(v)) out.push(fieldError.invalid(`${path}`, v, m));
  }
  return out;
}

const TOTAL_ANNOTATION_SIZE = 256 * 1024;

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const out: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    for (const m of validateLabelKey(k)) out.push(fieldError.invalid(path, k, m));
    size += k.length + v.length;
  }
  if (size > TOTAL_ANNOTATION_SIZE) out.push(fieldError.invalid(path, '', `must have at most ${TOTAL_ANNOTATION_SIZE} bytes`));
  return out;
}

export function validatePort(port: unknown, path: string): FieldError[] {
  if (typeof port === 'number' && port >= 1 && port <= 65535) return [];
  return [fieldError.invalid(path, port, 'must be between 1 and 65535, inclusive')];
}

export function nonNegative(value: number | undefined, path: string): FieldError[] {
  return value !== undefined && value < 0 ? [fieldError.invalid(path, value, 'must be greater than or equal to 0')] : [];
}

/** Kubernetes' "field is immutable", for one field of an update. */
export function immutable(now: unknown, before: unknown, path: string): FieldError[] {
  return jsonEqual(now, before) ? [] : [fieldError.invalid(path, now, 'field is immutable')];
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
