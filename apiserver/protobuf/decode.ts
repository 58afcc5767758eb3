import type { z } from 'zod';
import { ApiError } from '../errors.js';
import { envelopeType, messageType } from './schema.js';
import { messageToJson, ProtobufShapeError } from './to-json.js';

export const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/** Every protobuf body starts with these four bytes: "k8s" and a zero. */
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * A body in Kubernetes' protobuf encoding (what typed clients send: `kubectl create deployment`,
 * `kubectl drain`'s evictions) as the JSON object it stands for. The envelope, runtime.Unknown,
 * names the apiVersion and kind; its raw bytes are that kind's message. `schemaFor` gives the
 * kind's schema, which says which empty strings are values (see messageToJson).
 */
export function decodeProtobuf(raw: Buffer, schemaFor: (apiVersion: string, kind: string) => z.ZodType | undefined): Record<string, unknown> {
  if (raw.length < MAGIC.length || !raw.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw ApiError.badRequest('the request body is not Kubernetes protobuf: it does not start with the "k8s\\x00" prefix');
  }
  let envelope: { typeMeta?: { apiVersion?: string; kind?: string }; raw?: Uint8Array; contentEncoding?: string };
  try {
    envelope = envelopeType().decode(raw.subarray(MAGIC.length)) as typeof envelope;
  } catch (err) {
    throw ApiError.badRequest(`the request body is not valid protobuf: ${(err as Error).message}`);
  }
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  if (!kind) throw ApiError.badRequest('the protobuf body names no kind');
  if (envelope.contentEncoding) throw ApiError.badRequest(`the protobuf body's content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
  const type = messageType(apiVersion, kind);
  if (!type) throw ApiError.badRequest(`no protobuf message is known for kind ${JSON.stringify(kind)} in ${JSON.stringify(apiVersion)}`);
  try {
    const message = type.decode(envelope.raw ?? new Uint8Array()) as unknown as Record<string, unknown>;
    const object = messageToJson(type, message, schemaFor(apiVersion, kind)) as Record<string, unknown>;
    return { apiVersion, kind, ...object };
  } catch (err) {
    const why = err instanceof ProtobufShapeError || err instanceof Error ? err.message : String(err);
    throw ApiError.badRequest(`the ${kind} in the request body is not valid protobuf: ${why}`);
  }
}
