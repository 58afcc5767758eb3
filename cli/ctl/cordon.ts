import { ApiError, CtlError, describeError } from './errors.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/**
 * The patch that cordons (`spec.unschedulable: true`) or uncordons a node, or undefined when it
 * already is as asked; kubectl then says `node/node-1 already cordoned`.
 *
 *   cordonPatch({ spec: {} }, true)                        // { spec: { unschedulable: true } }
 *   cordonPatch({ spec: { unschedulable: true } }, true)   // undefined
 *   cordonPatch({ spec: { unschedulable: true } }, false)  // { spec: { unschedulable: null } }
 */
export function cordonPatch(node: Json, cordon: boolean): Json | undefined {
  if (Boolean(node.spec?.unschedulable) === cordon) return undefined;
  return { spec: { unschedulable: cordon ? true : null } };
}

/** Cordons or uncordons one node, printing kubectl's line; shared by `cordon`, `uncordon` and `drain`. */
export async function setCordon(s: Session, name: string, cordon: boolean): Promise<void> {
  const path = `/api/v1/nodes/${encodeURIComponent(name)}`;
  const node = await s.rest.request<Json>('GET', path);
  const patch = cordonPatch(node, cordon);
  const word = cordon ? 'cordoned' : 'uncordoned';
  if (patch) await s.rest.request('PATCH', path, { body: patch, contentType: 'application/strategic-merge-patch+json' });
  s.out(`node/${name} ${patch ? word : `already ${word}`}\n`);
}

/** `minikctl cordon NODE...` and `minikctl uncordon NODE...`. */
export async function runCordon(s: Session, nodes: string[], cordon: boolean): Promise<number> {
  if (nodes.length === 0) throw new CtlError('resource(s) were provided, but no name was specified');
  let failed = 0;
  for (const name of nodes) {
    try {
      await setCordon(s, name, cordon);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}
