import { z } from 'zod';
import { Condition, LabelSelector, TypeMeta } from './meta.js';
import { PodTemplateSpec } from './pod.js';

/** apps/v1 Deployment and ReplicaSet, and the autoscaling/v1 Scale of both. */

const IntOrString = z.union([z.number().int(), z.string()]);

export const DeploymentStrategy = z
  .object({
    type: z.enum(['RollingUpdate', 'Recreate']).optional(),
    rollingUpdate: z
      .object({
        maxUnavailable: IntOrString.optional().describe('Pods that may be unavailable during the update: a number or a percentage.'),
        maxSurge: IntOrString.optional().describe('Pods that may be created above the desired number: a number or a percentage.'),
      })
      .optional(),
  })
  .describe('How existing pods are replaced by new ones.');

export const DeploymentSpec = z
  .object({
    replicas: z.number().int().optional().describe('Number of desired pods. Defaults to 1.'),
    selector: LabelSelector.describe("Label selector for pods; must match the template's labels."),
    template: PodTemplateSpec,
    strategy: DeploymentStrategy.optional(),
    minReadySeconds: z.number().int().optional(),
    revisionHistoryLimit: z.number().int().optional().describe('Old ReplicaSets to keep for rollback. Defaults to 10.'),
    paused: z.boolean().optional(),
    progressDeadlineSeconds: z.number().int().optional(),
  })
  .describe('The desired behaviour of a Deployment.');

export const DeploymentStatus = z.object({
  observedGeneration: z.number().int().optional(),
  replicas: z.number().int().optional(),
  updatedReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  unavailableReplicas: z.number().int().optional(),
  terminatingReplicas: z.number().int().optional(),
  conditions: z.array(Condition).optional(),
  collisionCount: z.number().int().optional(),
});

export const Deployment = z
  .object({
    ...TypeMeta,
    spec: DeploymentSpec.optional(),
    status: DeploymentStatus.optional(),
  })
  .describe('Declarative updates for Pods and ReplicaSets.');
export type Deployment = z.infer<typeof Deployment>;

export const ReplicaSetSpec = z.object({
  replicas: z.number().int().optional().describe('Number of desired pods. Defaults to 1.'),
  minReadySeconds: z.number().int().optional(),
  selector: LabelSelector,
  template: PodTemplateSpec.optional(),
});

export const ReplicaSetStatus = z.object({
  replicas: z.number().int(),
  fullyLabeledReplicas: z.number().int().optional(),
  readyReplicas: z.number().int().optional(),
  availableReplicas: z.number().int().optional(),
  terminatingReplicas: z.number().int().optional(),
  observedGeneration: z.number().int().optional(),
  conditions: z.array(Condition).optional(),
});

export const ReplicaSet = z
  .object({
    ...TypeMeta,
    spec: ReplicaSetSpec.optional(),
    status: ReplicaSetStatus.optional(),
  })
  .describe('Ensures that a number of pod replicas run at any time.');
export type ReplicaSet = z.infer<typeof ReplicaSet>;

export const Scale = z
  .object({
    ...TypeMeta,
    spec: z.object({ replicas: z.number().int().optional() }).optional(),
    status: z.object({ replicas: z.number().int(), selector: z.string().optional() }).optional(),
  })
  .describe('The scale subresource of a Deployment or ReplicaSet.');
export type Scale = z.infer<typeof Scale>;
