import { validateDns1123Label } from '../../api/names.js';
import type { Container, PodSpec, Volume } from '../../api/schemas/pod.js';
import { fieldError, type FieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import type { KubeObject } from '../watch-cache.js';
import { immutable, nonNegative, validateLabels, validateMeta, validatePort } from './_util.js';
import { validateResources } from './resources.js';
import { jsonEqual } from '../../api/json-equal.js';
import { validatePodStatusUpdate } from './pod-status.js';

/**
 * Pod defaults and rules (pkg/apis/core/v1/defaults.go, pkg/apis/core/validation). The defaults of
 * a pod spec also apply to the templates inside Deployments and ReplicaSets.
 */
export function defaultPodSpec(spec: PodSpec | undefined): void {
  if (!spec) return;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) defaultContainer(c);
  for (const v of spec.volumes ?? []) defaultVolume(v);
}

/** Files a ConfigMap, Secret, projected or downward API volume writes are rw-r--r-- unless told. */
const DEFAULT_FILE_MODE = 0o644;

function defaultVolume(v: Volume): void {
  if (v.configMap) v.configMap.defaultMode ??= DEFAULT_FILE_MODE;
  if (v.secret) v.secret.defaultMode ??= DEFAULT_FILE_MODE;
  if (v.hostPath) v.hostPath.type ??= '';
  for (const source of [v.projected, v.downwardAPI] as Array<Record<string, unknown> | undefined>) {
    if (source && typeof source === 'object') source.defaultMode ??= DEFAULT_FILE_MODE;
  }
  const items = (v.downwardAPI as { items?: unknown } | undefined)?.items;
  if (Array.isArray(items)) for (const item of items) defaultFieldRef((item as { fieldRef?: unknown } | null)?.fieldRef);
}

/** An object field selector names its API version, v1 unless told (SetDefaults_ObjectFieldSelector). */
function defaultFieldRef(ref: unknown): void {
  if (ref !== null && typeof ref === 'object' && !Array.isArray(ref)) (ref as { apiVersion?: string }).apiVersion ??= 'v1';
}

/** A probe checks every 10 s, gives up after 1 s, and counts 1 success or 3 failures; an HTTP probe asks for / over HTTP. */
function defaultProbe(probe: unknown): void {
  if (probe === null || typeof probe !== 'object' || Array.isArray(probe)) return;
  const p = probe as Record<string, unknown>;
  p.timeoutSeconds ??= 1;
  p.periodSeconds ??= 10;
  p.successThreshold ??= 1;
  p.failureThreshold ??= 3;
  const get = p.httpGet;
  if (get !== null && typeof get === 'object' && !Array.isArray(get)) {
    const g = get as Record<string, unknown>;
    if (g.path === undefined || g.path === '') g.path = '/';
    if (g.scheme === undefined || g.scheme === '') g.scheme = 'HTTP';
  }
}

function defaultContainer(c: Container): void {
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.imagePullPolicy ??= imagePullPolicyFor(c.image);
  for (const p of c.ports ?? []) p.protocol ??= 'TCP';
  // A limit with no request is also the request.
  const limits = c.resources?.limits;
  if (limits) {
    const requests = (c.resources!.requests ??= {});
    for (const [k, v] of Object.entries(limits)) requests[k] ??= v;
  }
  if (c.resources === undefined) c.resources = {};
  for (const e of c.env ?? []) {
    defaultFieldRef(e.valueFrom?.fieldRef);
    // A divisor left out is Go's zero quantity, which the API server writes out as "0".
    if (e.valueFrom?.resourceFieldRef) e.valueFrom.resourceFieldRef.divisor ??= '0';
  }
  for (const probe of [c.livenessProbe, c.readinessProbe, c.startupProbe]) defaultProbe(probe);
}

/** `Always` for `:latest` or an untagged image, otherwise `IfNotPresent`. */
export function imagePullPolicyFor(image: string | undefined): 'Always' | 'IfNotPresent' {
  if (!image) return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const last = image.slice(image.lastIndexOf('/') + 1);
  const tag = last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Every pod tolerates a not-ready or unreachable node for five minutes (DefaultTolerationSeconds). */
function defaultTolerations(spec: PodSpec): void {
  const tolerations = (spec.tolerations ??= []);
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => t.key === key && t.effect === 'NoExecute')) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
}

export function validatePodSpec(spec: PodSpec | undefined, path: string): FieldError[] {
  if (!spec) return [fieldError.required(path)];
  const out: FieldError[] = [];
  if (spec.containers.length === 0) out.push(fieldError.required(`${path}.containers`));
  const names = new Set<string>();
  const volumes = new Set<string>();
  (spec.volumes ?? []).forEach((v, i) => {
    if (volumes.has(v.name)) out.push(fieldError.duplicate(`${path}.volumes[${i}].name`, v.name));
    volumes.add(v.name);
    for (const m of validateDns1123Label(v.name)) out.push(fieldError.invalid(`${path}.volumes[${i}].name`, v.name, m));
  });
  const check = (list: Container[] | undefined, field: string) =>
    (list ?? []).forEach((c, i) => {
      const p = `${path}.${field}[${i}]`;
      if (!c.name) out.push(fieldError.required(`${p}.name`));
      else {
        for (const m of validateDns1123Label(c.name)) out.push(fieldError.invalid(`${p}.name`, c.name, m));
        if (names.has(c.name)) out.push(fieldError.duplicate(`${p}.name`, c.name));
        names.add(c.name);
      }
      if (!c.image) out.push(fieldError.required(`${p}.image`));
      (c.ports ?? []).forEach((port, j) => out.push(...validatePort(port.containerPort, `${p}.ports[${j}].containerPort`)));
      (c.volumeMounts ?? []).forEach((m, j) => {
        if (!volumes.has(m.name)) out.push(fieldError.notFound(`${p}.volumeMounts[${j}].name`, m.name));
      });
      out.push(...validateResources(c, `${p}.resources`));
    });
  check(spec.initContainers, 'initContainers');
  check(spec.containers, 'containers');
  out.push(...validateLabels(spec.nodeSelector, `${path}.nodeSelector`));
  out.push(...nonNegative(spec.terminationGracePeriodSeconds, `${path}.terminationGracePeriodSeconds`));
  return out;
}

/** What a pod update may change in the spec: images, and little else (ValidatePodUpdate). */
function validatePodUpdate(spec: PodSpec | undefined, old: PodSpec | undefined): FieldError[] {
  if (!spec || !old) return [];
  const comparable = (s: PodSpec) => ({
    ...s,
    containers: s.containers.map((c) => ({ ...c, image: undefined })),
    initContainers: s.initContainers?.map((c) => ({ ...c, image: undefined })),
    activeDeadlineSeconds: undefined,
    tolerations: undefined,
    terminationGracePeriodSeconds: undefined,
  });
  if (jsonEqual(comparable(spec), comparable(old))) return [];
  return [
    fieldError.forbidden(
      'spec',
      'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    ),
  ];
}

/** The QoS class the kubelet would give the pod. */
export function qosClass(spec: PodSpec): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length + Object.keys(c.resources?.limits ?? {}).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => {
    const { limits = {}, requests = {} } = c.resources ?? {};
    return ['cpu', 'memory'].every((r) => limits[r] !== undefined && String(requests[r] ?? limits[r]) === String(limits[r]));
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export const podStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: false,
  prepareForCreate(obj) {
    const spec = obj.spec as PodSpec | undefined;
    obj.status = { phase: 'Pending', ...(spec?.containers ? { qosClass: qosClass(spec) } : {}) };
    // The ServiceAccount admission plugin: a pod runs as its namespace's `default` account unless it
    // names one; the deprecated field mirrors it, as the v1 API writes it.
    if (spec) {
      spec.serviceAccountName ||= spec.serviceAccount || 'default';
      spec.serviceAccount = spec.serviceAccountName;
    }
  },
  default(obj) {
    const spec = obj.spec as PodSpec | undefined;
    defaultPodSpec(spec);
    if (spec) defaultTolerations(spec);
  },
  validate(obj: KubeObject, old: KubeObject | undefined) {
    const out = validateMeta(obj).concat(validatePodSpec(obj.spec as PodSpec | undefined, 'spec'));
    if (old) {
      out.push(...validatePodUpdate(obj.spec as PodSpec, old.spec as PodSpec));
      const was = (old.spec as PodSpec | undefined)?.nodeName;
      if (was) out.push(...immutable((obj.spec as PodSpec | undefined)?.nodeName, was, 'spec.nodeName'));
    }
    return out;
  },
  validateStatus: validatePodStatusUpdate,
  fields(obj) {
    const spec = obj.spec as { nodeName?: string; restartPolicy?: string; schedulerName?: string } | undefined;
    const status = obj.status as { phase?: string; podIP?: string; nominatedNodeName?: string } | undefined;
    return {
      'spec.nodeName': spec?.nodeName ?? '',
      'spec.restartPolicy': spec?.restartPolicy ?? '',
      'spec.schedulerName': spec?.schedulerName ?? '',
      'spec.serviceAccountName': String((obj.spec as { serviceAccountName?: string } | undefined)?.serviceAccountName ?? ''),
      'status.phase': status?.phase ?? '',
      'status.podIP': status?.podIP ?? '',
      'status.nominatedNodeName': status?.nominatedNodeName ?? '',
    };
  },
};
