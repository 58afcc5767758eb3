import protobuf from 'protobufjs';
import type { z } from 'zod';
import { checkDepth } from '../json-depth.js';

/**
 * A decoded protobuf message as the JSON Kubernetes would give for the same object, so that
 * everything after the body's decoding (validation, defaulting, storage) sees one shape.
 *
 * Go has no "unset" for a plain string: a typed client sends `""` for every string it did not
 * set, where JSON would have left the field out. Such an empty string is dropped unless the
 * kind's schema makes the field required (`imageID: ""` is a real value; `phase: ""` is not).
 * Numbers and booleans are kept, since a pointer field (`replicas`) sent as 0 was set to 0, and
 * the wire does not tell pointers from plain fields; but for the plain `omitempty` fields of
 * OMITTED_AT_ZERO, zero and false are what Go leaves out of its JSON, and absent means the same.
 */

/**
 * Plain (not pointer) number and boolean fields Go's JSON omits at their zero value, and which
 * minik reads as zero when absent: `kubectl create deployment` sends every one of them. A field
 * missing here keeps its zero, which is harmless; a pointer field listed here would lose an
 * explicit zero, so only fields checked against the Go types are.
 */
const OMITTED_AT_ZERO = new Set([
  '.k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta.generation',
  '.k8s.io.api.apps.v1.DeploymentSpec.minReadySeconds',
  '.k8s.io.api.apps.v1.DeploymentSpec.paused',
  '.k8s.io.api.apps.v1.ReplicaSetSpec.minReadySeconds',
  '.k8s.io.api.core.v1.PodSpec.hostNetwork',
  '.k8s.io.api.core.v1.PodSpec.hostPID',
  '.k8s.io.api.core.v1.PodSpec.hostIPC',
  '.k8s.io.api.core.v1.Container.stdin',
  '.k8s.io.api.core.v1.Container.stdinOnce',
  '.k8s.io.api.core.v1.Container.tty',
  '.k8s.io.api.core.v1.ContainerPort.hostPort',
  '.k8s.io.api.core.v1.VolumeMount.readOnly',
  '.k8s.io.api.core.v1.NodeSpec.unschedulable',
  '.k8s.io.api.core.v1.ServiceSpec.publishNotReadyAddresses',
  '.k8s.io.api.core.v1.ServicePort.nodePort',
]);

const WELL_KNOWN: Record<string, (m: Record<string, unknown>) => unknown> = {
  '.k8s.io.apimachinery.pkg.api.resource.Quantity': (m) => m.string ?? '',
  '.k8s.io.apimachinery.pkg.util.intstr.IntOrString': (m) => (num(m.type) === 1 ? (m.strVal ?? '') : (m.intVal ?? 0)),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.Time': (m) => time(m, false),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': (m) => time(m, true),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.Duration': (m) => goDuration(num(m.duration ?? 0)),
  '.k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': (m) => rawJson(m.Raw, 'fieldsV1'),
  '.k8s.io.apimachinery.pkg.runtime.RawExtension': (m) => rawJson(m.raw, 'a raw extension'),
};

/**
 * Go structs embedded in another (`json:",inline"`): a field of their own on the wire, their fields
 * the parent's in JSON (a ConfigMapKeySelector's `name`, a Volume's `configMap`, a Probe's `httpGet`).
 */
const INLINE: Record<string, string> = {
  '.k8s.io.api.core.v1.LocalObjectReference': 'localObjectReference',
  '.k8s.io.api.core.v1.EphemeralContainerCommon': 'ephemeralContainerCommon',
  '.k8s.io.api.core.v1.ProbeHandler': 'handler',
  '.k8s.io.api.core.v1.VolumeSource': 'volumeSource',
  '.k8s.io.api.core.v1.VolumeStatus': 'volumeStatus',
};

export function isInline(field: protobuf.Field): boolean {
  const t = field.resolvedType;
  return !field.repeated && !field.map && t instanceof protobuf.Type && INLINE[t.fullName] === field.name;
}

export class ProtobufShapeError extends Error {}

export function messageToJson(type: protobuf.Type, message: Record<string, unknown>, schema?: z.ZodType): unknown {
  const special = WELL_KNOWN[type.fullName];
  if (special) return special(message);
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    if (!Object.prototype.hasOwnProperty.call(message, field.name)) continue;
    const value = message[field.name];
    if (isInline(field)) {
      Object.assign(out, messageToJson(field.resolvedType as protobuf.Type, value as Record<string, unknown>, schema));
      continue;
    }
    const sub = fieldSchema(schema, field.name);
    // The wire cannot tell an empty list or map from none, and Go's JSON leaves both out.
    if (field.map) {
      const entries = Object.entries(value as Record<string, unknown>);
      if (entries.length === 0) continue;
      const values = valueSchema(sub);
      out[field.name] = Object.fromEntries(entries.map(([k, v]) => [k, convert(field, v, values)]));
    } else if (field.repeated) {
      if ((value as unknown[]).length === 0) continue;
      const element = elementSchema(sub);
      out[field.name] = (value as unknown[]).map((v) => convert(field, v, element));
    } else {
      const v = convert(field, value, sub);
      if (v === undefined || (v === '' && !required(sub))) continue;
      // A field the kind's schema does not know would only be dropped with a warning; at Go's zero
      // value it was never set, and is not worth one.
      if ((v === 0 || v === false) && ((sub === undefined && isObject(schema)) || OMITTED_AT_ZERO.has(`${type.fullName}.${field.name}`))) continue;
      out[field.name] = v;
    }
  }
  return out;
}

function convert(field: protobuf.Field, value: unknown, schema: z.ZodType | undefined): unknown {
  const t = field.resolvedType;
  if (t instanceof protobuf.Type) return messageToJson(t, value as Record<string, unknown>, schema);
  if (t instanceof protobuf.Enum) return t.valuesById[value as number] ?? value;
  switch (field.type) {
    case 'int64':
    case 'uint64':
    case 'sint64':
    case 'fixed64':
    case 'sfixed64':
      return num(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array).toString('base64');
    default:
      return value;
  }
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof v === 'object' && 'low' in v) return protobuf.util.LongBits.from(v as protobuf.Long).toNumber((v as { unsigned?: boolean }).unsigned);
  return Number(v ?? 0);
}

/** metav1.Time is RFC 3339 in whole seconds, MicroTime with six digits; an empty message is Go's zero time, null in JSON. */
function time(m: Record<string, unknown>, micro: boolean): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(m, 'seconds') && !Object.prototype.hasOwnProperty.call(m, 'nanos')) return undefined;
  const seconds = num(m.seconds ?? 0);
  const nanos = num(m.nanos ?? 0);
  const date = new Date(seconds * 1000);
  if (Number.isNaN(date.getTime())) throw new ProtobufShapeError(`a time of ${seconds} seconds is out of range`);
  const whole = date.toISOString().slice(0, 19);
  return micro ? `${whole}.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z` : `${whole}Z`;
}

function rawJson(raw: unknown, what: string): unknown {
  if (raw === undefined) return undefined;
  const text = Buffer.from(raw as Uint8Array).toString('utf8');
  if (text === '') return undefined;
  // JSON inside protobuf is held to the same depth as a JSON body.
  checkDepth(text);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProtobufShapeError(`${what} holds bytes that are not JSON`);
  }
}

/** Go's time.Duration.String(): 1h2m3s, 1.5s, 250ms, 0s. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const sign = ns < 0 ? '-' : '';
  let n = Math.abs(ns);
  if (n < 1e3) return `${sign}${n}ns`;
  if (n < 1e6) return `${sign}${trim(n / 1e3)}µs`;
  if (n < 1e9) return `${sign}${trim(n / 1e6)}ms`;
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = `${trim(n / 1e9)}s`;
  return sign + (h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s);
}

const trim = (x: number) => String(Number(x.toFixed(9)));

// ---- the kind's zod schema, walked beside the message ------------------------------------------

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
  in?: z.ZodType;
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema under optional/default/lazy wrappers, and whether any of them made it optional. */
function unwrap(s: z.ZodType | undefined): { schema: z.ZodType | undefined; optional: boolean } {
  let optional = false;
  for (let i = 0; s && i < 16; i++) {
    const d = defOf(s);
    if (d.type === 'optional' || d.type === 'default' || d.type === 'prefault' || d.type === 'nullable') {
      optional = true;
      s = d.innerType;
    } else if (d.type === 'lazy' && d.getter) s = d.getter();
    else if (d.type === 'pipe' && d.in) s = d.in;
    else if (d.type === 'readonly' || d.type === 'catch') s = d.innerType;
    else break;
  }
  return { schema: s, optional };
}

function fieldSchema(parent: z.ZodType | undefined, name: string): z.ZodType | undefined {
  const { schema } = unwrap(parent);
  return schema && defOf(schema).type === 'object' ? defOf(schema).shape?.[name] : undefined;
}

function elementSchema(s: z.ZodType | undefined): z.ZodType | undefined {
  const { schema } = unwrap(s);
  return schema && defOf(schema).type === 'array' ? defOf(schema).element : undefined;
}

function valueSchema(s: z.ZodType | undefined): z.ZodType | undefined {
  const { schema } = unwrap(s);
  return schema && defOf(schema).type === 'record' ? defOf(schema).valueType : undefined;
}

function isObject(s: z.ZodType | undefined): boolean {
  const { schema } = unwrap(s);
  return schema !== undefined && defOf(schema).type === 'object';
}

function required(s: z.ZodType | undefined): boolean {
  return s !== undefined && !unwrap(s).optional;
}
