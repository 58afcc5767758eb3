import { CtlError } from './errors.js';
import { forEachTarget, rolloutTargets } from './rollout-target.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';

/**
 * The strategic merge patch for `rollout pause|resume|restart` on a Deployment, as kubectl's
 * ObjectPauser, ObjectResumer and ObjectRestarter build it. Pausing a paused Deployment (or
 * resuming one that is not paused, or restarting a paused one) is refused with their words.
 *
 *   rolloutPatch({ spec: {} }, 'pause', now)      // { spec: { paused: true } }
 *   rolloutPatch({ spec: {} }, 'restart', now)    // { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-21T10:00:00Z' } } } } }
 *   rolloutPatch({ spec: { paused: true } }, 'pause', now)   // throws: is already paused
 */
export function rolloutPatch(d: Json, verb: 'pause' | 'resume' | 'restart', now: Date): Json {
  const paused = Boolean(d.spec?.paused);
  switch (verb) {
    case 'pause':
      if (paused) throw new CtlError('is already paused');
      return { spec: { paused: true } };
    case 'resume':
      if (!paused) throw new CtlError('is not paused');
      return { spec: { paused: null } };
    case 'restart':
      if (paused) throw new CtlError(`can't restart paused deployment (run rollout resume first)`);
      return { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: rfc3339(now) } } } } };
  }
}

/** Go's time.RFC3339 without fractions, in UTC. */
function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const DONE = { pause: 'paused', resume: 'resumed', restart: 'restarted' } as const;

/** `minikctl rollout pause|resume|restart deploy/web`: `deployment.apps/web paused`. */
export async function runRolloutChange(s: Session, verb: 'pause' | 'resume' | 'restart', args: string[]): Promise<number> {
  const what = verb === 'restart' ? 'restarter' : verb === 'pause' ? 'pauser' : 'resumer';
  const targets = await rolloutTargets(s, args, what);
  return forEachTarget(s, targets, async (t) => {
    const d = await s.rest.request<Json>('GET', t.path);
    let patch: Json;
    try {
      patch = rolloutPatch(d, verb, new Date(s.now()));
    } catch (err) {
      throw err instanceof CtlError ? new CtlError(`${t.quoted} ${err.message}`) : err;
    }
    await s.rest.request('PATCH', t.path, { body: patch, contentType: 'application/strategic-merge-patch+json' });
    s.out(`${t.display} ${DONE[verb]}\n`);
  });
}
