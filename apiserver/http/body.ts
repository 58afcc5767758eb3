import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { apiVersionOf, RESOURCES, SUBRESOURCE_SCHEMAS } from '../../api/resources.js';
import { ApiError } from '../errors.js';
import { goSyntaxError } from '../go-json.js';
import { checkDepth } from '../json-depth.js';
import { decodeProtobuf, PROTOBUF } from '../protobuf/decode.js';

export const MAX_BODY_BYTES = 3 * 1024 * 1024;

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The body's bytes, refusing more than the limit with a 413 (and reading no further). */
export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (c: Buffer) => {
      if (done) return;
      size += c.length;
      if (size > limit) {
        done = true;
        req.resume();
        reject(ApiError.tooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (!done) resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (!done) reject(err);
    });
  });
}

function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** A create or update body: JSON (also with no Content-Type), YAML, or the protobuf of typed clients. */
export function parseObjectBody(req: IncomingMessage, raw: Buffer): unknown {
  const type = mediaType(req);
  if (type === '' || type === 'application/json' || type === '*/*') return parseJson(raw);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYamlBody(raw);
  if (type === PROTOBUF) return decodeProtobuf(raw, schemaOfKind);
  throw ApiError.unsupportedMediaType(type, ['application/json', 'application/yaml', PROTOBUF]);
}

/**
 * A typed client's body carries every field its Go type has, and Kubernetes drops what it does
 * not know from protobuf without a word; so Strict validation cannot apply to it, only warnings.
 */
export function isProtobuf(req: IncomingMessage): boolean {
  return mediaType(req) === PROTOBUF;
}

const SCHEMAS = new Map<string, z.ZodType>(RESOURCES.map((r) => [`${apiVersionOf(r)}/${r.kind}`, r.schema]));

/** A kind's schema; a subresource's kind (Binding, Eviction, Scale) is one of a kind whatever its group. */
function schemaOfKind(apiVersion: string, kind: string): z.ZodType | undefined {
  return SCHEMAS.get(`${apiVersion}/${kind}`) ?? (Object.hasOwn(SUBRESOURCE_SCHEMAS, kind) ? SUBRESOURCE_SCHEMAS[kind] : undefined);
}

/** A patch body and its kind, by Content-Type; 415 for any other type. */
export function parsePatchBody(req: IncomingMessage, raw: Buffer): { type: PatchType; patch: unknown } {
  const type = PATCH_TYPES[mediaType(req)];
  if (!type) throw ApiError.unsupportedMediaType(mediaType(req) || '(none)', Object.keys(PATCH_TYPES));
  return { type, patch: type === 'apply' ? parseYamlBody(raw) : parseJson(raw) };
}

/** DeleteOptions, if any: a DELETE may carry a body (JSON, or protobuf from a typed client), or none. */
export function parseOptionalBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  if (mediaType(req) === PROTOBUF) return decodeProtobuf(raw, schemaOfKind);
  return raw.toString().trim() === '' ? undefined : parseJson(raw);
}

function parseJson(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  if (text.trim() === '') throw ApiError.badRequest('the request body is empty');
  checkDepth(text);
  try {
    return JSON.parse(text);
  } catch (err) {
    // Go's words for where the text goes wrong, as a Go API server would say them (and the same on every Node).
    throw ApiError.badRequest(`the request body is not valid JSON: ${goSyntaxError(raw) ?? (err as Error).message}`);
  }
}

function parseYamlBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  checkDepth(text);
  try {
    return parseYaml(text);
  } catch (err) {
    throw ApiError.badRequest(`the request body is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}
