import { apiVersionOf, type ResourceType } from '../api/resources.js';
import { ApiError } from './errors.js';

/**
 * The checks a server-side apply's body meets before anything is merged (upstream's field manager):
 * a map, of the endpoint's API version, owning no fields itself. Anything else is a 400.
 *
 *   checkApplyConfiguration(configmaps, [])   // 400 error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}
 *   checkApplyConfiguration(configmaps, null) // 400 Incorrect version specified in apply patch. Specified patch version: , expected: v1
 */
export function checkApplyConfiguration(r: Pick<ResourceType, 'group' | 'version'>, config: unknown): void {
  if (config !== null && config !== undefined && (typeof config !== 'object' || Array.isArray(config))) {
    throw ApiError.badRequest(`error decoding YAML: json: cannot unmarshal ${goKind(config)} into Go value of type map[string]interface {}`);
  }
  const object = (config ?? {}) as { apiVersion?: unknown; metadata?: { managedFields?: unknown } };
  const expected = apiVersionOf(r);
  const version = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  if (version !== expected) {
    throw ApiError.badRequest(`Incorrect version specified in apply patch. Specified patch version: ${version}, expected: ${expected}`);
  }
  if (object.metadata?.managedFields != null) throw ApiError.badRequest('metadata.managedFields must be nil');
}

/** How Go's JSON decoder names a value it cannot put in a map. */
function goKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'number' ? 'number' : 'string';
}
