import { z } from 'zod';
import { TypeMeta } from './meta.js';

/** core/v1 Service and Endpoints. */

export const ServicePort = z.object({
  name: z.string().optional(),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  appProtocol: z.string().optional(),
  port: z.number().int().describe('The port the service exposes.'),
  targetPort: z.union([z.number().int(), z.string()]).optional().describe("The pods' port: a number or a named port."),
  nodePort: z.number().int().optional().describe('The port on every node, for NodePort and LoadBalancer services.'),
});

export const ServiceSpec = z
  .object({
    ports: z.array(ServicePort).optional(),
    selector: z.record(z.string(), z.string()).optional().describe('Pods with these labels receive the traffic.'),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    externalIPs: z.array(z.string()).optional(),
    sessionAffinity: z.enum(['ClientIP', 'None']).optional(),
    loadBalancerIP: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    ipFamilies: z.array(z.string()).optional(),
    ipFamilyPolicy: z.string().optional(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
  })
  .describe('The desired behaviour of a service.');

export const ServiceStatus = z.object({
  loadBalancer: z
    .object({
      ingress: z
        .array(
          z.object({
            ip: z.string().optional(),
            hostname: z.string().optional(),
            ipMode: z.enum(['VIP', 'Proxy']).optional().describe('How traffic reaches the load balancer IP.'),
            ports: z.array(z.record(z.string(), z.unknown())).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  conditions: z.array(z.record(z.string(), z.unknown())).optional(),
});

export const Service = z
  .object({
    ...TypeMeta,
    spec: ServiceSpec.optional(),
    status: ServiceStatus.optional(),
  })
  .describe('A named abstraction of software service: a stable address in front of a set of pods.');
export type Service = z.infer<typeof Service>;

const ObjectReference = z.object({
  kind: z.string().optional(),
  namespace: z.string().optional(),
  name: z.string().optional(),
  uid: z.string().optional(),
  apiVersion: z.string().optional(),
  resourceVersion: z.string().optional(),
  fieldPath: z.string().optional(),
});

export const EndpointAddress = z.object({
  ip: z.string(),
  hostname: z.string().optional(),
  nodeName: z.string().optional(),
  targetRef: ObjectReference.optional(),
});

export const Endpoints = z
  .object({
    ...TypeMeta,
    subsets: z
      .array(
        z.object({
          addresses: z.array(EndpointAddress).optional(),
          notReadyAddresses: z.array(EndpointAddress).optional(),
          ports: z
            .array(
              z.object({
                name: z.string().optional(),
                port: z.number().int(),
                protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
                appProtocol: z.string().optional(),
              }),
            )
            .optional(),
        }),
      )
      .optional(),
  })
  .describe('The addresses that implement a service.');
export type Endpoints = z.infer<typeof Endpoints>;

export { ObjectReference };
