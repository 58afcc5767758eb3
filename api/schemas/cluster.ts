import { z } from 'zod';
import { Condition, MicroTime, ResourceList, TypeMeta } from './meta.js';
import { ObjectReference } from './service.js';

/** Namespace, Node, Event, Lease, and the Binding and Eviction that pods take. */

export const Namespace = z
  .object({
    ...TypeMeta,
    spec: z.object({ finalizers: z.array(z.string()).optional() }).optional(),
    status: z.object({ phase: z.enum(['Active', 'Terminating']).optional(), conditions: z.array(Condition).optional() }).optional(),
  })
  .describe('A scope for names.');
export type Namespace = z.infer<typeof Namespace>;

export const Taint = z.object({
  key: z.string(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  timeAdded: z.string().optional(),
});
export type Taint = z.infer<typeof Taint>;

export const Node = z
  .object({
    ...TypeMeta,
    spec: z
      .object({
        podCIDR: z.string().optional(),
        podCIDRs: z.array(z.string()).optional(),
        providerID: z.string().optional(),
        unschedulable: z.boolean().optional().describe('Cordoned: no new pods are placed here.'),
        taints: z.array(Taint).optional(),
      })
      .optional(),
    status: z
      .object({
        capacity: ResourceList.optional(),
        allocatable: ResourceList.optional(),
        phase: z.string().optional(),
        conditions: z.array(Condition).optional(),
        addresses: z.array(z.object({ type: z.string(), address: z.string() })).optional(),
        daemonEndpoints: z.object({ kubeletEndpoint: z.object({ Port: z.number().int() }).optional() }).optional(),
        nodeInfo: z.record(z.string(), z.string()).optional(),
        images: z.array(z.record(z.string(), z.unknown())).optional(),
      })
      .optional(),
  })
  .describe('A worker node.');
export type Node = z.infer<typeof Node>;

export const Event = z
  .object({
    ...TypeMeta,
    involvedObject: ObjectReference,
    reason: z.string().optional(),
    message: z.string().optional(),
    source: z.object({ component: z.string().optional(), host: z.string().optional() }).optional(),
    firstTimestamp: z.string().optional(),
    lastTimestamp: z.string().optional(),
    eventTime: z.string().optional(),
    count: z.number().int().optional(),
    type: z.string().optional(),
    action: z.string().optional(),
    reportingComponent: z.string().optional(),
    reportingInstance: z.string().optional(),
    related: ObjectReference.optional(),
    series: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('A report of something that happened in the cluster.');
export type Event = z.infer<typeof Event>;

export const Lease = z
  .object({
    ...TypeMeta,
    spec: z
      .object({
        holderIdentity: z.string().optional(),
        leaseDurationSeconds: z.number().int().optional(),
        acquireTime: MicroTime.optional(),
        renewTime: MicroTime.optional(),
        leaseTransitions: z.number().int().optional(),
      })
      .optional(),
  })
  .describe('A lease: node heartbeats and leader election.');
export type Lease = z.infer<typeof Lease>;

export const Binding = z
  .object({
    ...TypeMeta,
    target: ObjectReference,
  })
  .describe('Binds a pod to a node.');
export type Binding = z.infer<typeof Binding>;

export const Eviction = z
  .object({
    ...TypeMeta,
    deleteOptions: z.record(z.string(), z.unknown()).optional(),
  })
  .describe('Evicts a pod from its node, subject to disruption budgets.');
export type Eviction = z.infer<typeof Eviction>;
