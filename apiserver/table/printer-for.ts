import { configMapPrinter } from './config-map-printer.js';
import { defaultPrinter } from './default-printer.js';
import { deploymentPrinter } from './deployment-printer.js';
import { endpointSlicePrinter } from './endpoint-slice-printer.js';
import { endpointsPrinter } from './endpoints-printer.js';
import { eventPrinter } from './event-printer.js';
import { leasePrinter } from './lease-printer.js';
import { namespacePrinter } from './namespace-printer.js';
import { nodePrinter } from './node-printer.js';
import { podPrinter } from './pod-printer.js';
import { replicaSetPrinter } from './replica-set-printer.js';
import { secretPrinter } from './secret-printer.js';
import { serviceAccountPrinter } from './service-account-printer.js';
import { servicePrinter } from './service-printer.js';
import type { Printer } from './types.js';

// Objects reach the printers as stored, already validated against their kind's schema.
// Keyed by group and kind: an events.k8s.io Event, say, would print differently from a core one.
const PRINTERS: Record<string, Printer<unknown>> = {
  Pod: podPrinter,
  Node: nodePrinter,
  Namespace: namespacePrinter,
  Service: servicePrinter,
  Endpoints: endpointsPrinter,
  ConfigMap: configMapPrinter,
  Secret: secretPrinter,
  ServiceAccount: serviceAccountPrinter,
  Event: eventPrinter,
  'apps/Deployment': deploymentPrinter,
  'apps/ReplicaSet': replicaSetPrinter,
  'coordination.k8s.io/Lease': leasePrinter,
  'discovery.k8s.io/EndpointSlice': endpointSlicePrinter,
};

/**
 * The printer of a kind, by `group` and `kind`; NAME and CREATED AT for a kind without one:
 *
 *   printerFor({ group: 'apps', kind: 'Deployment' }).columns.map((c) => c.name)
 *   // ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']
 */
export function printerFor(resource: { group: string; kind: string }): Printer<unknown> {
  const key = resource.group ? `${resource.group}/${resource.kind}` : resource.kind;
  return (Object.hasOwn(PRINTERS, key) ? PRINTERS[key] : undefined) ?? defaultPrinter;
}
