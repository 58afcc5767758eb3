import type { ResourceType } from '../api/resources.js';
import type { Status } from '../api/schemas/meta.js';

/**
 * An API error, as Kubernetes reports it: an HTTP code, a reason and a message, carried as a
 * metav1.Status. kubectl prints `Error from server (Reason): message`.
 *
 *   ApiError.notFound(pods, 'web-9').status()
 *     = { kind: 'Status', ..., message: 'pods "web-9" not found', reason: 'NotFound',
 *         details: { name: 'web-9', kind: 'pods' }, code: 404 }
 */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Status['details'],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  status(): Status {
    const s: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason };
    if (this.details) s.details = this.details;
    s.code = this.code;
    return s;
  }

  static notFound(r: Pick<ResourceType, 'resource' | 'group'>, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualified(r)} "${name}" not found`, details(r, name));
  }

  /** 409 for a server-side apply that would change fields other managers own; a cause per field. */
  static applyConflict(message: string, causes: Array<{ field: string; message: string }>): ApiError {
    return new ApiError(409, 'Conflict', message, { causes: causes.map((c) => ({ reason: 'FieldManagerConflict', ...c })) });
  }

  static alreadyExists(r: Pick<ResourceType, 'resource' | 'group'>, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualified(r)} "${name}" already exists`, details(r, name));
  }

  static conflict(r: Pick<ResourceType, 'resource' | 'group'>, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again'): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`, details(r, name));
  }

  /** 422: `The Deployment "bad" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
  static invalid(r: Pick<ResourceType, 'kind' | 'group'>, name: string, causes: FieldError[]): ApiError {
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const summary = list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${r.kind}${r.group ? `.${r.group}` : ''} "${name}" is invalid: ${summary}`, {
      name,
      ...(r.group ? { group: r.group } : {}),
      kind: r.kind,
      causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
    });
  }

  static badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  }

  static forbidden(message: string, r?: Pick<ResourceType, 'resource' | 'group'>, name?: string): ApiError {
    return new ApiError(403, 'Forbidden', message, r ? details(r, name ?? '') : undefined);
  }

  static methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  }

  static unsupportedMediaType(type: string, accepted: string[]): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')} (got ${type})`);
  }

  static gone(message: string): ApiError {
    return new ApiError(410, 'Expired', message);
  }

  static tooLarge(): ApiError {
    return new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
  }

  static notAcceptable(message: string): ApiError {
    return new ApiError(406, 'NotAcceptable', message);
  }

  static pathNotFound(path: string): ApiError {
    return new ApiError(404, 'NotFound', `the server could not find the requested resource (${path})`);
  }

  static internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
  }

  static unavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  }
}

/** One bad field of an object: what makes a 422. */
export interface FieldError {
  field: string;
  /** FieldValueInvalid, FieldValueRequired, FieldValueNotSupported, FieldValueDuplicate, FieldValueForbidden. */
  reason: string;
  message: string;
}

export const fieldError = {
  invalid: (field: string, value: unknown, why: string): FieldError => ({
    field,
    reason: 'FieldValueInvalid',
    message: `Invalid value: ${formatValue(value)}: ${why}`,
  }),
  required: (field: string, why = ''): FieldError => ({
    field,
    reason: 'FieldValueRequired',
    message: why ? `Required value: ${why}` : 'Required value',
  }),
  notSupported: (field: string, value: unknown, supported: string[]): FieldError => ({
    field,
    reason: 'FieldValueNotSupported',
    message: `Unsupported value: ${formatValue(value)}: supported values: ${supported.map((s) => `"${s}"`).join(', ')}`,
  }),
  duplicate: (field: string, value: unknown): FieldError => ({
    field,
    reason: 'FieldValueDuplicate',
    message: `Duplicate value: ${formatValue(value)}`,
  }),
  forbidden: (field: string, why: string): FieldError => ({ field, reason: 'FieldValueForbidden', message: `Forbidden: ${why}` }),
  tooMany: (field: string, actual: number, max: number): FieldError => ({
    field,
    reason: 'FieldValueTooMany',
    message: `Too many: ${actual}: must have at most ${max} items`,
  }),
  notFound: (field: string, value: unknown): FieldError => ({
    field,
    reason: 'FieldValueNotFound',
    message: `Not found: ${formatValue(value)}`,
  }),
};

/**
 * A bad value Go prints through its String method, unquoted: a resource.Quantity, say.
 *
 *   fieldError.invalid('x', new Stringer('-1'), 'must be greater than or equal to 0').message   // 'Invalid value: -1: must be ...'
 */
export class Stringer {
  constructor(readonly text: string) {}
}

function formatValue(v: unknown): string {
  if (v instanceof Stringer) return v.text;
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

function qualified(r: Pick<ResourceType, 'resource' | 'group'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function details(r: Pick<ResourceType, 'resource' | 'group'>, name: string): Status['details'] {
  return { name, ...(r.group ? { group: r.group } : {}), kind: r.resource };
}
