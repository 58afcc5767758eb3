import type { FieldError } from './errors.js';
import type { KubeObject } from './watch-cache.js';

/**
 * What differs from kind to kind when an object is written (Kubernetes' RESTCreateStrategy and
 * RESTUpdateStrategy): defaults, validation beyond the schema's shape, and which parts a write
 * may change. Everything else about a write is the same for every kind and lives in the registry.
 */
export interface Strategy {
  /** Kubernetes' SetDefaults: fills what the user left out. Mutates `obj`. */
  default(obj: KubeObject): void;
  /** Rules beyond shape; `old` is set on update. Returns every bad field, not just the first. */
  validate(obj: KubeObject, old: KubeObject | undefined): FieldError[];
  /**
   * The rules of the status, for every status update (`old` the object it replaces): upstream's
   * status strategies validate the status they take. A status update that kept the stored spec
   * runs only these, since `validate` checked the rest when it was written.
   */
  validateStatus?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Whether a create keeps the status it was given (nodes do; most kinds start with none). */
  keepStatusOnCreate: boolean;
  /** Whether the object has a spec whose changes raise metadata.generation. */
  hasSpec: boolean;
  /** Derived fields and fixed starting state, on create (a pod starts Pending). Mutates `obj`. */
  prepareForCreate?(obj: KubeObject): void;
  /** Fields that map to selectors: `spec.nodeName`, `status.phase`, ... */
  fields?(obj: KubeObject): Record<string, string>;
}

/** The fields every object can be selected by. */
export function metadataFields(obj: KubeObject): Record<string, string> {
  const m = (obj.metadata ?? {}) as { name?: string; namespace?: string };
  return { 'metadata.name': m.name ?? '', 'metadata.namespace': m.namespace ?? '' };
}
