import type { Session } from './session.js';

type Json = Record<string, any>;

/** The node annotation the node simulator reads: `stopped` silences the node's heartbeats. */
export const HEARTBEATS = 'minik.dev/heartbeats';
/** The pod annotation the node simulator reads: its containers exit that many seconds after Ready. */
export const CRASH = 'minik.dev/crash';

/**
 * The merge patch for a class's faults, or undefined when the object already is as asked:
 * `node stop|start` sets or removes `minik.dev/heartbeats: stopped`; `pod crash` sets
 * `minik.dev/crash: "<seconds>"` (the seconds after the pod is Ready at which its containers
 * exit with an error, scaled by the simulator's --speed), and `pod crash --stop` removes it.
 *
 *   faultPatch({ metadata: {} }, HEARTBEATS, 'stopped')                                   // { metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } }
 *   faultPatch({ metadata: { annotations: { 'minik.dev/crash': '0' } } }, CRASH, undefined) // { metadata: { annotations: { 'minik.dev/crash': null } } }
 */
export function faultPatch(obj: Json, key: string, value: string | undefined): Json | undefined {
  const current = obj.metadata?.annotations?.[key];
  if (current === value) return undefined;
  return { metadata: { annotations: { [key]: value ?? null } } };
}

/** Reads the object and patches the annotation when it differs; answers whether it changed. */
export async function patchAnnotation(s: Session, path: string, key: string, value: string | undefined): Promise<boolean> {
  const obj = await s.rest.request<Json>('GET', path);
  const patch = faultPatch(obj, key, value);
  if (patch) await s.rest.request('PATCH', path, { body: patch, contentType: 'application/merge-patch+json' });
  return patch !== undefined;
}

