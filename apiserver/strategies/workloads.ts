import { selectorFromLabelSelector } from '../../api/labels.js';
import type { LabelSelector } from '../../api/schemas/meta.js';
import type { PodSpec, PodTemplateSpec } from '../../api/schemas/pod.js';
import { fieldError, type FieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import type { KubeObject } from '../watch-cache.js';
import { immutable, nonNegative, validateLabels, validateMeta } from './_util.js';
import { defaultPodSpec, validatePodSpec } from './pod.js';

/** Deployment and ReplicaSet defaults and rules (pkg/apis/apps/v1/defaults.go, validation). */

interface WorkloadSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplateSpec;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };
  revisionHistoryLimit?: number;
  progressDeadlineSeconds?: number;
  minReadySeconds?: number;
}

function validateTemplate(spec: WorkloadSpec, kind: string): FieldError[] {
  const out: FieldError[] = [];
  const selector = spec.selector;
  const hasSelector = selector && (Object.keys(selector.matchLabels ?? {}).length > 0 || (selector.matchExpressions ?? []).length > 0);
  if (!hasSelector) out.push(fieldError.invalid('spec.selector', selector ?? null, `empty selector is invalid for ${kind}`));
  const template = spec.template;
  if (!template) return out.concat(fieldError.required('spec.template'));
  const labels = template.metadata?.labels ?? {};
  out.push(...validateLabels(labels, 'spec.template.metadata.labels'));
  if (hasSelector) {
    try {
      if (!selectorFromLabelSelector(selector).matches(labels)) {
        out.push(fieldError.invalid('spec.template.metadata.labels', labelMap(labels), '`selector` does not match template `labels`'));
      }
    } catch (err) {
      out.push(fieldError.invalid('spec.selector', selector, (err as Error).message));
    }
  }
  out.push(...validatePodSpec(template.spec, 'spec.template.spec'));
  const policy = template.spec?.restartPolicy;
  if (policy && policy !== 'Always') out.push(fieldError.notSupported('spec.template.spec.restartPolicy', policy, ['Always']));
  return out;
}

/** How Go prints a map in an error: `map[app:web tier:front]`. */
function labelMap(labels: Record<string, string>): string {
  return `map[${Object.keys(labels).sort().map((k) => `${k}:${labels[k]}`).join(' ')}]`;
}

/** An int-or-percent: 3, "25%". */
function validateIntOrPercent(v: number | string | undefined, path: string): FieldError[] {
  if (v === undefined) return [];
  if (typeof v === 'number') return nonNegative(v, path);
  const m = /^(\d+)%$/.exec(v);
  if (!m) return [fieldError.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
  return Number(m[1]) > 100 ? [fieldError.invalid(path, v, 'must not be greater than 100%')] : [];
}

const isZero = (v: number | string | undefined) => v === 0 || v === '0%';

/**
 * A status's replica counts, each counted as 0 when absent (Go's zero value): each of `counts` must
 * be non-negative (in that order, as upstream lists its errors; `optional` ones only when set), none
 * of `bounded` may exceed status.replicas, and no more replicas can be available than are ready
 * (upstream's ValidateDeploymentStatus and ValidateReplicaSetStatus).
 */
function validateReplicaCounts(status: Record<string, unknown>, counts: string[], optional: string[], bounded: string[]): FieldError[] {
  const count = (k: string) => (typeof status[k] === 'number' ? (status[k] as number) : 0);
  const out: FieldError[] = [];
  for (const k of counts) out.push(...nonNegative(count(k), `status.${k}`));
  for (const k of optional) if (typeof status[k] === 'number') out.push(...nonNegative(count(k), `status.${k}`));
  for (const k of bounded) {
    if (count(k) > count('replicas')) out.push(fieldError.invalid(`status.${k}`, count(k), 'cannot be greater than status.replicas'));
  }
  if (count('availableReplicas') > count('readyReplicas')) {
    out.push(fieldError.invalid('status.availableReplicas', count('availableReplicas'), 'cannot be greater than readyReplicas'));
  }
  return out;
}


export const deploymentStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  default(obj) {
    const spec = obj.spec as WorkloadSpec | undefined;
    if (!spec) return;
    spec.replicas ??= 1;
    spec.strategy ??= {};
    spec.strategy.type ??= 'RollingUpdate';
    if (spec.strategy.type === 'RollingUpdate') {
      spec.strategy.rollingUpdate ??= {};
      spec.strategy.rollingUpdate.maxUnavailable ??= '25%';
      spec.strategy.rollingUpdate.maxSurge ??= '25%';
    }
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
    defaultPodSpec(spec.template?.spec as PodSpec | undefined);
  },
  validate(obj, old) {
    const spec = (obj.spec ?? {}) as WorkloadSpec;
    const out = validateMeta(obj)
      .concat(nonNegative(spec.replicas, 'spec.replicas'))
      .concat(nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'))
      .concat(nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'))
      .concat(validateTemplate(spec, 'deployment'));
    const ru = spec.strategy?.rollingUpdate;
    if (spec.strategy?.type === 'Recreate' && ru) {
      out.push(fieldError.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
    }
    if (ru) {
      out.push(...validateIntOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge'));
      out.push(...validateIntOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable'));
      if (isZero(ru.maxSurge) && isZero(ru.maxUnavailable)) {
        out.push(fieldError.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
    if (spec.progressDeadlineSeconds !== undefined && spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      out.push(fieldError.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
    if (old) out.push(...immutable(spec.selector, (old.spec as WorkloadSpec | undefined)?.selector, 'spec.selector'));
    return out;
  },
  validateStatus(obj, old) {
    const status = (obj.status ?? {}) as Record<string, unknown>;
    const out = validateReplicaCounts(
      status,
      ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'],
      ['collisionCount', 'terminatingReplicas'],
      ['updatedReplicas', 'readyReplicas', 'availableReplicas'],
    );
    // The controller adds the count to the pod-template-hash after a name clash: lowering it could
    // give a new template the name of an old ReplicaSet.
    const now = typeof status.collisionCount === 'number' ? status.collisionCount : undefined;
    const before = (old.status as { collisionCount?: number } | undefined)?.collisionCount;
    if (before !== undefined && (now === undefined || now < before)) out.push(fieldError.invalid('status.collisionCount', now ?? 0, 'cannot be decremented'));
    return out;
  },
};

export const replicaSetStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  prepareForCreate(obj: KubeObject) {
    obj.status = { replicas: 0 };
  },
  default(obj) {
    const spec = obj.spec as WorkloadSpec | undefined;
    if (!spec) return;
    spec.replicas ??= 1;
    defaultPodSpec(spec.template?.spec as PodSpec | undefined);
  },
  validate(obj, old) {
    const spec = (obj.spec ?? {}) as WorkloadSpec;
    const out = validateMeta(obj)
      .concat(nonNegative(spec.replicas, 'spec.replicas'))
      .concat(nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'))
      .concat(validateTemplate(spec, 'replicaset'));
    if (old) out.push(...immutable(spec.selector, (old.spec as WorkloadSpec | undefined)?.selector, 'spec.selector'));
    return out;
  },
  validateStatus(obj) {
    return validateReplicaCounts(
      (obj.status ?? {}) as Record<string, unknown>,
      ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'],
      ['terminatingReplicas'],
      ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'],
    );
  },
};
