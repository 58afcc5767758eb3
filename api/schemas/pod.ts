import { z } from 'zod';
import { Condition, ObjectMeta, ResourceList, TypeMeta } from './meta.js';

/**
 * core/v1 Pod: the fields the course, kubectl and the simulated kubelet use, modelled exactly;
 * the deep corners nobody here reads (probes, security contexts, affinity beyond required node
 * affinity) are kept as free-form objects, so real manifests still apply.
 */

const loose = (what: string) => z.record(z.string(), z.unknown()).describe(what);

const KeyRef = z.object({ name: z.string(), key: z.string(), optional: z.boolean().optional() });

export const EnvVar = z.object({
  name: z.string().describe('Name of the environment variable.'),
  value: z.string().optional(),
  valueFrom: z
    .object({
      configMapKeyRef: KeyRef.optional().describe('Selects a key of a ConfigMap.'),
      secretKeyRef: KeyRef.optional().describe('Selects a key of a Secret.'),
      fieldRef: z.object({ fieldPath: z.string(), apiVersion: z.string().optional() }).optional(),
      resourceFieldRef: z
        .object({ resource: z.string(), containerName: z.string().optional(), divisor: z.union([z.string(), z.number()]).optional() })
        .optional(),
    })
    .optional()
    .describe('Source for the variable, instead of a value.'),
});

export const EnvFromSource = z.object({
  prefix: z.string().optional(),
  configMapRef: z.object({ name: z.string(), optional: z.boolean().optional() }).optional(),
  secretRef: z.object({ name: z.string(), optional: z.boolean().optional() }).optional(),
});

export const ContainerPort = z.object({
  name: z.string().optional(),
  containerPort: z.number().int().describe('Port number on the pod IP.'),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  hostPort: z.number().int().optional(),
  hostIP: z.string().optional(),
});

export const ResourceRequirements = z
  .object({
    limits: ResourceList.optional().describe('The most compute resources allowed.'),
    requests: ResourceList.optional().describe('The least compute resources required; the scheduler places pods by these.'),
    claims: z.array(z.object({ name: z.string() })).optional(),
  })
  .describe('Compute resources required by a container.');

export const VolumeMount = z.object({
  name: z.string(),
  mountPath: z.string(),
  readOnly: z.boolean().optional(),
  subPath: z.string().optional(),
  subPathExpr: z.string().optional(),
  mountPropagation: z.string().optional(),
});

export const Container = z
  .object({
    name: z.string().describe('Name of the container, unique in the pod (a DNS label).'),
    image: z.string().optional().describe('Container image name.'),
    command: z.array(z.string()).optional(),
    args: z.array(z.string()).optional(),
    workingDir: z.string().optional(),
    ports: z.array(ContainerPort).optional(),
    envFrom: z.array(EnvFromSource).optional(),
    env: z.array(EnvVar).optional().describe('Environment variables to set in the container.'),
    resources: ResourceRequirements.optional(),
    resizePolicy: z.array(loose('A resize policy.')).optional(),
    restartPolicy: z.string().optional(),
    volumeMounts: z.array(VolumeMount).optional(),
    livenessProbe: loose('Periodic probe of container liveness.').optional(),
    readinessProbe: loose('Periodic probe of container service readiness.').optional(),
    startupProbe: loose('Probe that the container has started.').optional(),
    lifecycle: loose('Actions on container lifecycle events.').optional(),
    terminationMessagePath: z.string().optional(),
    terminationMessagePolicy: z.string().optional(),
    imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).optional(),
    securityContext: loose('Security options the container should run with.').optional(),
    stdin: z.boolean().optional(),
    stdinOnce: z.boolean().optional(),
    tty: z.boolean().optional(),
  })
  .describe('A single application container to run in a pod.');
export type Container = z.infer<typeof Container>;

export const Toleration = z.object({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().int().optional(),
});
export type Toleration = z.infer<typeof Toleration>;

export const NodeSelectorRequirement = z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).optional(),
});

export const NodeSelectorTerm = z.object({
  matchExpressions: z.array(NodeSelectorRequirement).optional(),
  matchFields: z.array(NodeSelectorRequirement).optional(),
});

export const Affinity = z
  .object({
    nodeAffinity: z
      .object({
        requiredDuringSchedulingIgnoredDuringExecution: z
          .object({ nodeSelectorTerms: z.array(NodeSelectorTerm) })
          .optional()
          .describe('Hard requirements: the pod is placed only on nodes that match one of the terms.'),
        preferredDuringSchedulingIgnoredDuringExecution: z.array(loose('A weighted preference.')).optional(),
      })
      .optional(),
    podAffinity: loose('Inter-pod affinity.').optional(),
    podAntiAffinity: loose('Inter-pod anti-affinity.').optional(),
  })
  .describe("The pod's scheduling constraints.");

const KeyToPath = z.object({ key: z.string(), path: z.string(), mode: z.number().int().optional() });

export const Volume = z.object({
  name: z.string(),
  configMap: z
    .object({
      name: z.string(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  secret: z
    .object({
      secretName: z.string(),
      items: z.array(KeyToPath).optional(),
      defaultMode: z.number().int().optional(),
      optional: z.boolean().optional(),
    })
    .optional(),
  emptyDir: z.object({ medium: z.string().optional(), sizeLimit: z.union([z.string(), z.number()]).optional() }).optional(),
  hostPath: z.object({ path: z.string(), type: z.string().optional() }).optional(),
  persistentVolumeClaim: z.object({ claimName: z.string(), readOnly: z.boolean().optional() }).optional(),
  projected: loose('Items for all-in-one resources secrets, configmaps, and downward API.').optional(),
  downwardAPI: loose('Downward API about the pod.').optional(),
});
export type Volume = z.infer<typeof Volume>;

export const PodSpec = z
  .object({
    volumes: z.array(Volume).optional(),
    initContainers: z.array(Container).optional(),
    containers: z.array(Container).describe('The containers of the pod; at least one.'),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).optional(),
    terminationGracePeriodSeconds: z.number().int().optional(),
    activeDeadlineSeconds: z.number().int().optional(),
    dnsPolicy: z.string().optional(),
    nodeSelector: z.record(z.string(), z.string()).optional().describe('Labels a node must have for the pod to run on it.'),
    serviceAccountName: z.string().optional(),
    serviceAccount: z.string().optional(),
    automountServiceAccountToken: z.boolean().optional(),
    nodeName: z.string().optional().describe('The node the pod is bound to; set by the scheduler.'),
    hostNetwork: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    shareProcessNamespace: z.boolean().optional(),
    securityContext: loose('Pod-level security attributes.').optional(),
    imagePullSecrets: z.array(z.object({ name: z.string() })).optional(),
    hostname: z.string().optional(),
    subdomain: z.string().optional(),
    affinity: Affinity.optional(),
    schedulerName: z.string().optional(),
    tolerations: z.array(Toleration).optional(),
    hostAliases: z.array(loose('An /etc/hosts entry.')).optional(),
    priorityClassName: z.string().optional(),
    priority: z.number().int().optional(),
    dnsConfig: loose('DNS parameters.').optional(),
    readinessGates: z.array(z.object({ conditionType: z.string() })).optional(),
    runtimeClassName: z.string().optional(),
    enableServiceLinks: z.boolean().optional(),
    preemptionPolicy: z.string().optional(),
    overhead: ResourceList.optional(),
    topologySpreadConstraints: z.array(loose('A topology spread constraint.')).optional(),
  })
  .describe('The desired behaviour of a pod.');
export type PodSpec = z.infer<typeof PodSpec>;

const ContainerState = z.object({
  waiting: z.object({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.object({ startedAt: z.string().optional() }).optional(),
  terminated: z
    .object({
      exitCode: z.number().int(),
      signal: z.number().int().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
      containerID: z.string().optional(),
    })
    .optional(),
});

export const ContainerStatus = z.object({
  name: z.string(),
  state: ContainerState.optional(),
  lastState: ContainerState.optional(),
  ready: z.boolean(),
  restartCount: z.number().int(),
  image: z.string(),
  imageID: z.string(),
  containerID: z.string().optional(),
  started: z.boolean().optional(),
});
export type ContainerStatus = z.infer<typeof ContainerStatus>;

export const PodStatus = z
  .object({
    phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
    conditions: z.array(Condition).optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
    nominatedNodeName: z.string().optional(),
    hostIP: z.string().optional(),
    hostIPs: z.array(z.object({ ip: z.string() })).optional(),
    podIP: z.string().optional(),
    podIPs: z.array(z.object({ ip: z.string() })).optional(),
    startTime: z.string().optional(),
    initContainerStatuses: z.array(ContainerStatus).optional(),
    containerStatuses: z.array(ContainerStatus).optional(),
    qosClass: z.string().optional(),
  })
  .describe('The most recently observed status of the pod.');
export type PodStatus = z.infer<typeof PodStatus>;

export const Pod = z
  .object({
    ...TypeMeta,
    spec: PodSpec.optional(),
    status: PodStatus.optional(),
  })
  .describe('A pod: a group of containers that run together on one node.');
export type Pod = z.infer<typeof Pod>;

export const PodTemplateSpec = z
  .object({ metadata: ObjectMeta.optional(), spec: PodSpec.optional() })
  .describe('The pods a controller creates from it.');
export type PodTemplateSpec = z.infer<typeof PodTemplateSpec>;
