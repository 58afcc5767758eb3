import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput } from './dry-run.js';
import { ApiError, CtlError, describeError, isNotFound } from './errors.js';
import type { Session } from './session.js';
import { selectObjects, type ObjectRef, type SelectOptions } from './targets.js';

export type Cascade = 'background' | 'foreground' | 'orphan';

export interface DeleteOptions extends SelectOptions {
  cascade?: string;
  gracePeriod?: number;
  now?: boolean;
  force?: boolean;
  wait?: boolean;
  ignoreNotFound?: boolean;
  /** How long `--wait` waits for each object to be gone; kubectl's default is a week. */
  timeoutMs?: number;
  dryRun?: string;
  /** Only `name`, as kubectl. */
  output?: string;
}

/**
 * `--cascade` as kubectl reads it, old booleans included.
 *
 *   parseCascade('orphan')  // 'Orphan'     parseCascade('false')  // 'Orphan'
 *   parseCascade(undefined) // 'Background' parseCascade('maybe')  // throws
 */
export function parseCascade(v: string | undefined): 'Background' | 'Foreground' | 'Orphan' {
  switch ((v ?? 'background').toLowerCase()) {
    case 'background':
    case 'true':
      return 'Background';
    case 'foreground':
      return 'Foreground';
    case 'orphan':
    case 'false':
      return 'Orphan';
    default:
      throw new CtlError(`invalid cascade value (${v}). Must be "background", "foreground", or "orphan".`);
  }
}

/**
 * `minikctl delete`: deletes each object picked (see selectObjects) with the propagation policy
 * `--cascade` names, prints `deployment.apps "web" deleted`, and with `--wait` (the default) waits
 * until it is gone: finalizers, a foreground cascade and a pod's graceful termination all keep an
 * object a while. Answers the exit code.
 */
export async function runDelete(s: Session, args: string[], o: DeleteOptions): Promise<number> {
  const propagationPolicy = parseCascade(o.cascade);
  if (o.output !== undefined && o.output !== 'name') throw new CtlError(`unexpected -o output mode: ${o.output}. We only support '-o name'`);
  const { dryRun } = changeOutput({ dryRun: o.dryRun });
  const said = (ref: ObjectRef) =>
    o.output === 'name'
      ? `${qualifiedKind(ref.resource)}/${ref.name}\n`
      : `${qualifiedKind(ref.resource)} "${ref.name}" deleted${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`;
  const gracePeriodSeconds = o.force ? 0 : o.now ? 1 : o.gracePeriod !== undefined && o.gracePeriod >= 0 ? o.gracePeriod : undefined;
  const objects = await selectObjects(s, args, o, 'delete');
  if (objects.length === 0) {
    s.err(`No resources found${o.allNamespaces ? '' : ` in ${s.namespace} namespace`}.\n`);
    return 0;
  }
  if (o.force && gracePeriodSeconds === 0) s.err('Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n');
  let failed = 0;
  const deleted: Array<{ ref: ObjectRef; uid: string | undefined }> = [];
  for (const ref of objects) {
    try {
      // kubectl's client dry run asks the server nothing, not even whether the object is there.
      if (dryRun === 'client') {
        s.out(said(ref));
        continue;
      }
      const answer = await s.rest.request<{ kind?: string; metadata?: { uid?: string }; details?: { uid?: string } }>(
        'DELETE',
        `${resourcePath(ref.resource, ref.namespace, ref.name)}${dryRun === 'server' ? '?dryRun=All' : ''}`,
        { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy, ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}) } },
      );
      s.out(said(ref));
      if (dryRun === 'none') deleted.push({ ref, uid: answer.kind === 'Status' ? answer.details?.uid : answer.metadata?.uid });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (o.ignoreNotFound && isNotFound(err)) continue;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  if (o.wait !== false) {
    for (const d of deleted) {
      if (!(await waitGone(s, d.ref, d.uid, o.timeoutMs ?? 7 * 24 * 3600_000))) {
        s.err(`error: timed out waiting for the condition on ${d.ref.resource.name}/${d.ref.name}\n`);
        failed++;
      }
    }
  }
  return failed > 0 ? 1 : 0;
}

/** Polls until the object is gone, or replaced by a new one of the same name. */
export async function waitGone(s: Session, ref: ObjectRef, uid: string | undefined, timeoutMs: number): Promise<boolean> {
  const deadline = s.now() + timeoutMs;
  for (let delay = 50; s.now() < deadline; delay = Math.min(delay * 2, 1000)) {
    try {
      const live = await s.rest.request<{ metadata?: { uid?: string } }>('GET', resourcePath(ref.resource, ref.namespace, ref.name));
      if (uid && live.metadata?.uid !== uid) return true;
    } catch (err) {
      if (isNotFound(err)) return true;
      throw err;
    }
    await new Promise((r) => setTimeout(r, delay));
  }
  return false;
}
