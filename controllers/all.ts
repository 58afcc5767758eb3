import type { ControllerFactory } from './controller.js';
import { garbageCollectorController } from './garbage-collector/controller.js';
import { nodeLifecycleController } from './node-lifecycle/controller.js';
import { endpointSliceController } from './endpoint-slice/controller.js';
import { endpointsController } from './endpoints/controller.js';
import { namespaceController } from './namespace/controller.js';
import { deploymentController } from './deployment/controller.js';
import { replicaSetController } from './replica-set/controller.js';
import { serviceAccountController } from './service-account/controller.js';

/** Every controller `minik controller-manager` can run, by the name `--controllers` uses. */
export const CONTROLLERS: ReadonlyMap<string, ControllerFactory> = new Map<string, ControllerFactory>([
  ['garbagecollector', garbageCollectorController],
  ['nodelifecycle', nodeLifecycleController],
  ['endpoints', endpointsController],
  ['endpointslice', endpointSliceController],
  ['namespace', namespaceController],
  ['deployment', deploymentController],
  ['replicaset', replicaSetController],
  ['serviceaccount', serviceAccountController],
]);

/**
 * The controllers named by a `--controllers` value, as kube-controller-manager reads it:
 * `*` is every one, `name` adds one, `-name` removes one. `*,-garbagecollector` is all but the GC.
 */
export function selectControllers(spec: string, all: ReadonlyMap<string, ControllerFactory> = CONTROLLERS): Map<string, ControllerFactory> {
  const words = spec.split(',').map((s) => s.trim()).filter(Boolean);
  for (const w of words) {
    const name = w.replace(/^-/, '');
    if (w !== '*' && !all.has(name)) throw new Error(`unknown controller "${name}" in --controllers: choose from ${[...all.keys()].join(', ')}`);
  }
  const off = new Set(words.filter((w) => w.startsWith('-')).map((w) => w.slice(1)));
  const on = words.includes('*') ? [...all.keys()] : words.filter((w) => !w.startsWith('-'));
  return new Map(on.filter((name) => !off.has(name)).map((name) => [name, all.get(name)!]));
}
