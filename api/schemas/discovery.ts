import { z } from 'zod';
import { TypeMeta } from './meta.js';
import { ObjectReference } from './service.js';

/** discovery.k8s.io/v1 EndpointSlice: a Service's endpoints, at most 100 to a slice, as kube-proxy and kubectl 1.32 read them. */

export const EndpointConditions = z.object({
  ready: z.boolean().optional().describe('Ready to receive traffic; never true while terminating unless the service publishes not-ready addresses.'),
  serving: z.boolean().optional().describe('Ready, whether terminating or not.'),
  terminating: z.boolean().optional().describe('The endpoint is terminating.'),
});

export const Endpoint = z.object({
  addresses: z.array(z.string()).describe('One to 100 addresses of the addressType, e.g. the pod IP.'),
  conditions: EndpointConditions.optional(),
  hostname: z.string().optional(),
  targetRef: ObjectReference.optional().describe('The object this endpoint is, usually a Pod.'),
  deprecatedTopology: z.record(z.string(), z.string()).optional(),
  nodeName: z.string().optional().describe('The node the endpoint runs on.'),
  zone: z.string().optional(),
  hints: z.object({ forZones: z.array(z.object({ name: z.string() })).optional() }).optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export type EndpointConditions = z.infer<typeof EndpointConditions>;

export const EndpointPort = z.object({
  name: z.string().optional().describe("The service port's name; empty for an unnamed port."),
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  port: z.number().int().optional().describe('The port on each endpoint; unset means every port.'),
  appProtocol: z.string().optional(),
});
export type EndpointPort = z.infer<typeof EndpointPort>;

export const EndpointSlice = z
  .object({
    ...TypeMeta,
    addressType: z.enum(['IPv4', 'IPv6', 'FQDN']).describe('The type of every address in the slice; immutable.'),
    endpoints: z.array(Endpoint).describe('The endpoints of the slice, at most 1,000.'),
    ports: z.array(EndpointPort).optional().describe('The ports of every endpoint in the slice, at most 100.'),
  })
  .describe('A subset of the endpoints that implement a service, selected by the label kubernetes.io/service-name.');
export type EndpointSlice = z.infer<typeof EndpointSlice>;
