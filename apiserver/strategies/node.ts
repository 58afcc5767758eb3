import type { Strategy } from '../strategy.js';
import { validateMeta } from './_util.js';
import { validateNodeResources, type NodeStatusResources } from './resources.js';

/** Nodes: registered with their status (a kubelet reports capacity from the start), selected by spec.unschedulable. */
export const nodeStrategy: Strategy = {
  hasSpec: true,
  keepStatusOnCreate: true,
  default() {},
  validate(obj, old) {
    // An update of the node keeps the stored status; only a create brings one to check.
    return old ? validateMeta(obj) : [...validateMeta(obj), ...validateNodeResources(obj.status as NodeStatusResources)];
  },
  validateStatus(obj) {
    return validateNodeResources(obj.status as NodeStatusResources);
  },
  fields(obj) {
    return { 'spec.unschedulable': String((obj.spec as { unschedulable?: boolean } | undefined)?.unschedulable ?? false) };
  },
};
