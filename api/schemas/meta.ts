import { z } from 'zod';

/**
 * metav1: what every object carries. One schema serves validation, the inferred types, OpenAPI for
 * kubectl and `explain`. Schemas describe shape only; defaults and cross-field rules live beside
 * each kind, so that an unknown field shows as a key the schema dropped (see `unknownFields`).
 */

export const OwnerReference = z
  .object({
    apiVersion: z.string().describe('API version of the referent.'),
    kind: z.string().describe('Kind of the referent.'),
    name: z.string().describe('Name of the referent.'),
    uid: z.string().describe('UID of the referent.'),
    controller: z.boolean().optional().describe('If true, this reference points to the managing controller.'),
    blockOwnerDeletion: z
      .boolean()
      .optional()
      .describe('If true, the owner cannot be deleted from the key-value store until this reference is removed (foreground deletion).'),
  })
  .describe('OwnerReference contains enough information to let you identify an owning object.');
export type OwnerReference = z.infer<typeof OwnerReference>;

export const ObjectMeta = z
  .object({
    // First, where the API server writes it: a read object sent back decodes in its own order.
    resourceVersion: z.string().optional().describe('Opaque version of the object, for optimistic concurrency and watches.'),
    name: z.string().optional().describe('Name must be unique within a namespace.'),
    generateName: z.string().optional().describe('A prefix the server uses to generate a unique name, if name is not set.'),
    namespace: z.string().optional().describe('The namespace of the object; empty for cluster-scoped objects.'),
    uid: z.string().optional().describe('Unique in time and space; set by the server.'),
    generation: z.number().int().optional().describe('A sequence number of the desired state, raised on each spec change.'),
    creationTimestamp: z.string().optional().describe('When the object was created (RFC 3339).'),
    deletionTimestamp: z.string().optional().describe('When the object will be deleted; set by the server when deletion is requested.'),
    deletionGracePeriodSeconds: z.number().int().optional().describe('Seconds allowed for graceful termination.'),
    labels: z.record(z.string(), z.string()).optional().describe('Map of string keys and values to organize and select objects.'),
    annotations: z.record(z.string(), z.string()).optional().describe('Unstructured key-value data stored with the object.'),
    ownerReferences: z.array(OwnerReference).optional().describe('Objects this object depends on.'),
    finalizers: z.array(z.string()).optional().describe('Must be empty before the object is deleted from the registry.'),
    managedFields: z.array(z.record(z.string(), z.unknown())).optional().describe('Which manager owns which fields.'),
  })
  .describe('Standard object metadata.');
export type ObjectMeta = z.infer<typeof ObjectMeta>;

/** What every top-level object starts with; kinds spread it into their own shape. */
export const TypeMeta = {
  apiVersion: z.string().optional().describe('The versioned schema of this representation of an object.'),
  kind: z.string().optional().describe('The REST resource this object represents.'),
  metadata: ObjectMeta.optional(),
};

export const ListMeta = z.object({
  resourceVersion: z.string().optional(),
  continue: z.string().optional(),
  remainingItemCount: z.number().int().optional(),
});

export const StatusCause = z.object({
  reason: z.string().optional(),
  message: z.string().optional(),
  field: z.string().optional(),
});

export const Status = z
  .object({
    kind: z.literal('Status'),
    apiVersion: z.literal('v1'),
    metadata: ListMeta,
    status: z.enum(['Success', 'Failure']).optional(),
    message: z.string().optional(),
    reason: z.string().optional(),
    details: z
      .object({
        name: z.string().optional(),
        group: z.string().optional(),
        kind: z.string().optional(),
        uid: z.string().optional(),
        causes: z.array(StatusCause).optional(),
        retryAfterSeconds: z.number().int().optional(),
      })
      .optional(),
    code: z.number().int().optional(),
  })
  .describe('Status is the return value for calls that do not return other objects.');
export type Status = z.infer<typeof Status>;

export const LabelSelectorRequirement = z.object({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
  values: z.array(z.string()).optional(),
});

export const LabelSelector = z
  .object({
    matchLabels: z.record(z.string(), z.string()).optional(),
    matchExpressions: z.array(LabelSelectorRequirement).optional(),
  })
  .describe('A label query over a set of objects; all requirements are ANDed.');
export type LabelSelector = z.infer<typeof LabelSelector>;

/** A condition as most kinds report them. */
export const Condition = z.object({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  lastProbeTime: z.string().optional(),
  lastHeartbeatTime: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  lastUpdateTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  observedGeneration: z.number().int().optional(),
});
export type Condition = z.infer<typeof Condition>;

/** A resource quantity as JSON carries it: "100m", "128Mi", or a plain number. */
/**
 * A MicroTime (Lease acquireTime and renewTime, Event eventTime): RFC 3339 with exactly six
 * fractional digits, as Kubernetes writes and, decoding, demands: `2026-11-21T10:00:00.000000Z`.
 * kubectl fails to read a Lease whose times lack them.
 */
export const MicroTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/, 'must be a MicroTime: RFC 3339 with six fractional digits, such as 2026-11-21T10:00:00.000000Z');

export const QuantityValue = z.union([z.string(), z.number()]);
export const ResourceList = z.record(z.string(), QuantityValue);
