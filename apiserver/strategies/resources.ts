import { validateLabelKey } from '../../api/labels.js';
import { compareQuantities, formatQuantity, parseQuantity, type Quantity } from '../../api/quantity.js';
import type { Container } from '../../api/schemas/pod.js';
import { fieldError, Stringer, type FieldError } from '../errors.js';

/**
 * A container's requests and limits, by upstream's ValidateResourceRequirements
 * (pkg/apis/core/validation) and the resource-name helpers of pkg/apis/core/helper: names must be
 * standard for containers (cpu, memory, ephemeral-storage, hugepages-*) or fully qualified,
 * quantities non-negative (whole for extended resources), a request at most its limit, and an
 * extended resource (`example.com/gpu`) asked for with a limit equal to the request.
 *
 *   validateResources({ name: 'c', resources: { requests: { gpu: '1' } } }, 'spec.containers[0].resources')
 *     // [requests[gpu]: "must be a standard resource type or fully qualified", requests[gpu]: "must be a standard resource for containers"]
 */
export function validateResources(c: Container, path: string): FieldError[] {
  const limits = c.resources?.limits ?? {};
  const requests = c.resources?.requests ?? {};
  const out: FieldError[] = [];
  const parsed = new Map<string, Quantity>();
  const entry = (kind: 'limits' | 'requests', name: string, raw: unknown): Quantity | undefined => {
    const at = `${path}.${kind}[${name}]`;
    out.push(...validateContainerResourceName(name, at));
    return quantityValue(name, raw, at, out);
  };
  for (const [name, raw] of Object.entries(limits)) {
    const q = entry('limits', name, raw);
    if (q) parsed.set(name, q);
  }
  for (const [name, raw] of Object.entries(requests)) {
    const q = entry('requests', name, raw);
    // Own members only: a request named `constructor` has no limit.
    if (Object.hasOwn(limits, name)) {
      const limit = parsed.get(name);
      if (!q || !limit) continue;
      const cmp = compareQuantities(q, limit);
      const [request, of] = [formatQuantity(q), formatQuantity(limit)];
      if (cmp !== 0 && !isOvercommitAllowed(name)) {
        out.push(fieldError.invalid(`${path}.requests`, request, `must be equal to ${name} limit of ${of}`));
      } else if (cmp > 0) {
        out.push(fieldError.invalid(`${path}.requests`, request, `must be less than or equal to ${name} limit of ${of}`));
      }
    } else if (!isOvercommitAllowed(name)) {
      out.push(fieldError.required(`${path}.limits`, 'Limit must be set for non overcommitable resources'));
    }
  }
  return out;
}

const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'resourcequotas',
  'services',
  'replicationcontrollers',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'storage',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

const isHugePages = (name: string) => name.startsWith('hugepages-');
const isStandardResourceName = (name: string) => STANDARD_RESOURCES.has(name) || isHugePages(name) || name.startsWith('requests.hugepages-');
const isStandardContainerResourceName = (name: string) => STANDARD_CONTAINER_RESOURCES.has(name) || isHugePages(name);
/** Unprefixed, or in the kubernetes.io domain. */
const isNativeResource = (name: string) => !name.includes('/') || name.includes('kubernetes.io/');

/** A resource of a device plugin or operator (`example.com/gpu`): whole, and never overcommitted. */
export function isExtendedResourceName(name: string): boolean {
  if (isNativeResource(name) || name.startsWith('requests.')) return false;
  return validateLabelKey(`requests.${name}`).length === 0;
}

/** Whether a request may be below its limit: native resources but huge pages. */
export function isOvercommitAllowed(name: string): boolean {
  return isNativeResource(name) && !isHugePages(name);
}

/** validateContainerResourceName: a qualified name, standard for containers or fully qualified. */
function validateContainerResourceName(name: string, path: string): FieldError[] {
  const out = validateLabelKey(name).map((m) => fieldError.invalid(path, name, m));
  if (out.length === 0 && !name.includes('/') && !isStandardResourceName(name)) {
    out.push(fieldError.invalid(path, name, 'must be a standard resource type or fully qualified'));
  }
  if (!name.includes('/')) {
    if (!isStandardContainerResourceName(name)) out.push(fieldError.invalid(path, name, 'must be a standard resource for containers'));
  } else if (!isNativeResource(name) && !isExtendedResourceName(name)) {
    out.push(fieldError.invalid(path, name, "doesn't follow extended resource name standard"));
  }
  return out;
}

/**
 * A resource's quantity, parsed, as upstream's ValidateResourceQuantityValue checks it: not
 * negative, and whole for a resource counted in units. Its errors go to `out`; undefined if it is
 * not a quantity at all.
 */
function quantityValue(name: string, raw: unknown, at: string, out: FieldError[]): Quantity | undefined {
  let q: Quantity;
  try {
    q = parseQuantity(String(raw));
  } catch (err) {
    out.push(fieldError.invalid(at, String(raw), (err as Error).message));
    return undefined;
  }
  // Go prints these through the quantity's String method: canonical, unquoted.
  const shown = new Stringer(formatQuantity(q));
  if (q.nanos < 0n) out.push(fieldError.invalid(at, shown, 'must be greater than or equal to 0'));
  if (isIntegerResourceName(name) && q.nanos % 1_000_000_000n !== 0n) out.push(fieldError.invalid(at, shown, 'must be an integer'));
  return q;
}

/** Resources counted in whole units (upstream's IsIntegerResourceName): quota counts, and extended resources. */
const INTEGER_RESOURCES = new Set(['pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);
const isIntegerResourceName = (name: string) => INTEGER_RESOURCES.has(name) || isExtendedResourceName(name);

/**
 * A node's capacity and allocatable, by upstream's ValidateNodeResources: each quantity
 * non-negative (ValidateResourceQuantityValue), whole for integer resources, and huge pages
 * pre-allocated in one page size at most. Names are not checked: upstream leaves them to the kubelet.
 *
 *   validateNodeResources({ capacity: { cpu: '-1', pods: '1500m' } })
 *     // [status.capacity.cpu: -1: "must be greater than or equal to 0", status.capacity.pods: 1500m: "must be an integer"]
 */
export interface NodeStatusResources {
  capacity?: Record<string, unknown>;
  allocatable?: Record<string, unknown>;
}

export function validateNodeResources(status: NodeStatusResources | undefined): FieldError[] {
  const out: FieldError[] = [];
  for (const part of ['capacity', 'allocatable'] as const) {
    const hugePageSizes = new Set<string>();
    for (const [name, raw] of Object.entries(status?.[part] ?? {})) {
      const at = `status.${part}.${name}`;
      const q = quantityValue(name, raw, at, out);
      if (!q) continue;
      // Go's Value() rounds up to a whole number: any positive amount counts.
      if (isHugePages(name) && q.nanos > 0n) hugePageSizes.add(name);
      if (hugePageSizes.size > 1) out.push(fieldError.invalid(at, new Stringer(formatQuantity(q)), 'may not have pre-allocated hugepages for multiple page sizes'));
    }
  }
  return out;
}
