import protobuf from 'protobufjs';
import { envelopeType, messageType } from '../../apiserver/protobuf/schema.js';
import { isInline } from '../../apiserver/protobuf/to-json.js';

/**
 * A JSON object in Kubernetes' protobuf encoding, as a typed client sends it: the "k8s\0" prefix,
 * then runtime.Unknown naming apiVersion and kind around the kind's own message. The inverse of
 * the API server's decoding, for tests.
 */
export function encodeProtobuf(object: Record<string, unknown>): Buffer {
  const { apiVersion, kind, ...rest } = object as { apiVersion: string; kind: string };
  return protobufBody(apiVersion, kind, toMessage(lookup(apiVersion, kind), rest) as Record<string, unknown>);
}

/**
 * A body from a message already in the wire's own shape (`{ string: '100m' }` for a quantity):
 * what a Go typed client sends, zero values of fields it never set included.
 */
export function protobufBody(apiVersion: string, kind: string, message: Record<string, unknown>): Buffer {
  const type = lookup(apiVersion, kind);
  const raw = type.encode(type.fromObject(message)).finish();
  const env = envelopeType();
  const envelope = env.encode(env.fromObject({ typeMeta: { apiVersion, kind }, raw })).finish();
  return Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), envelope]);
}

function lookup(apiVersion: string, kind: string): protobuf.Type {
  const type = messageType(apiVersion, kind);
  if (!type) throw new Error(`no protobuf message for ${apiVersion} ${kind}`);
  return type;
}

const WELL_KNOWN: Record<string, (v: unknown) => unknown> = {
  '.k8s.io.apimachinery.pkg.api.resource.Quantity': (v) => ({ string: String(v) }),
  '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': (v) => (typeof v === 'number' ? { type: 0, intVal: v } : { type: 1, strVal: v }),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.Time': (v) => ({ seconds: Date.parse(String(v)) / 1000, nanos: 0 }),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': (v) => {
    const micros = Number(/\.(\d{6})/.exec(String(v))?.[1] ?? 0);
    return { seconds: Math.floor(Date.parse(String(v)) / 1000), nanos: micros * 1000 };
  },
  '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': (v) => ({ Raw: Buffer.from(JSON.stringify(v)) }),
  '.k8s.io.apimachinery.pkg.runtime.RawExtension': (v) => ({ raw: Buffer.from(JSON.stringify(v)) }),
};

function toMessage(type: protobuf.Type, value: unknown): unknown {
  const special = WELL_KNOWN[type.fullName];
  if (special) return special(value);
  const out: Record<string, unknown> = {};
  const inline = type.fieldsArray.filter(isInline);
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[key];
    if (!field) {
      // A field of an embedded struct: it goes inside that struct's own message.
      const host = inline.find((f) => (f.resolvedType as protobuf.Type).fields[key]);
      if (!host) throw new Error(`${type.fullName} has no field ${key}`);
      const inner = toMessage(host.resolvedType as protobuf.Type, { [key]: v }) as Record<string, unknown>;
      out[host.name] = { ...(out[host.name] as object | undefined), ...inner };
      continue;
    }
    const sub = field.resolvedType;
    const one = (x: unknown) => (sub instanceof protobuf.Type ? toMessage(sub, x) : x);
    if (field.map) out[key] = Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, one(x)]));
    else if (field.repeated) out[key] = (v as unknown[]).map(one);
    else out[key] = one(v);
  }
  return out;
}
