import type { z } from 'zod';
import { apiVersionOf, type ResourceType } from '../api/resources.js';
import { ApiError, fieldError, type FieldError } from './errors.js';
import { decodeWithSchema } from './schema-decoder.js';
import { unknownFields } from './unknown-fields.js';
import { withoutNulls } from './without-nulls.js';
import type { KubeObject } from './watch-cache.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface Decoded {
  object: KubeObject;
  /** Unknown fields dropped under Warn, for the `Warning` header. */
  warnings: string[];
}

/**
 * A request body as an object of the kind: the shape checked against the kind's schema, unknown
 * fields found by comparing what the schema kept with what was sent, explicit nulls read as
 * "unset" (as Kubernetes' decoder does).
 *
 *   decodeObject(deployments, {kind: 'Deployment', apiVersion: 'apps/v1', spec: {replcas: 2}}, 'Strict')
 *     -> 400 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replcas"'
 */
export function decodeObject(
  r: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  schema: z.ZodType,
  body: unknown,
  validation: FieldValidation,
): Decoded {
  const cannot = (why: string) =>
    ApiError.badRequest(`${r.kind} in version "${r.version}" cannot be handled as a ${r.kind}: ${why}`);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw cannot('the body must be a JSON object');
  }
  const sent = body as KubeObject;
  const apiVersion = apiVersionOf(r);
  if (sent.apiVersion != null && sent.apiVersion !== apiVersion) {
    throw ApiError.badRequest(`the API version in the data (${String(sent.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (sent.kind != null && sent.kind !== r.kind) {
    throw ApiError.badRequest(`the kind in the data (${String(sent.kind)}) does not match the expected kind (${r.kind})`);
  }
  const { object, unknown } = decodeWithSchema(schema, body) ?? decodeWhole(r, schema, withoutNulls(body) as KubeObject, cannot);
  if (unknown.length > 0 && validation === 'Strict') {
    throw cannot(`strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`);
  }
  return { object: { ...object, apiVersion, kind: r.kind }, warnings: validation === 'Warn' ? unknown.map((f) => `unknown field "${f}"`) : [] };
}

/** The body decoded in one piece: the path that words every error. */
function decodeWhole(
  r: Pick<ResourceType, 'group' | 'version' | 'kind'>,
  schema: z.ZodType,
  input: KubeObject,
  cannot: (why: string) => ApiError,
): { object: KubeObject; unknown: string[] } {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const typeErrors: string[] = [];
    const fieldErrors: FieldError[] = [];
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]');
      const value = valueAt(input, issue.path);
      if (issue.code === 'invalid_type' && value === undefined) fieldErrors.push(fieldError.required(field));
      else if (issue.code === 'invalid_value') {
        fieldErrors.push(fieldError.notSupported(field, value, (issue as { values?: unknown[] }).values?.map(String) ?? []));
      } else typeErrors.push(`${field}: ${issue.message}`);
    }
    if (typeErrors.length > 0) throw cannot(typeErrors.join('; '));
    const name = String((input.metadata as { name?: unknown } | undefined)?.name ?? '');
    throw ApiError.invalid(r, name, fieldErrors);
  }
  const object = parsed.data as KubeObject;
  return { object, unknown: unknownFields(input, object) };
}

function valueAt(o: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let at: unknown = o;
  for (const p of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[p];
  }
  return at;
}
