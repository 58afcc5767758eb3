import { CtlError } from './errors.js';
import { CRASH, patchAnnotation } from './fault.js';
import type { Session } from './session.js';

/** `--after SECONDS` as the simulator reads `minik.dev/crash`: a number of seconds, zero or more. */
export function crashSeconds(after: string | undefined): string {
  if (after === undefined) return '0';
  const n = Number(after);
  if (after.trim() === '' || !Number.isFinite(n) || n < 0) throw new CtlError(`invalid --after "${after}": expected a number of seconds, 0 or more`);
  return String(n);
}

/**
 * `minikctl pod crash POD [--after SECONDS]`: the pod's containers exit with an error that many
 * seconds after it is Ready, every time it restarts (CrashLoopBackOff). `--stop` ends it; the
 * next restart stays up.
 */
export async function runPodCrash(s: Session, pod: string, o: { after?: string; stop?: boolean }): Promise<number> {
  if (o.stop && o.after !== undefined) throw new CtlError('--stop and --after cannot be used together');
  const value = o.stop ? undefined : crashSeconds(o.after);
  const path = `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(pod)}`;
  const changed = await patchAnnotation(s, path, CRASH, value);
  if (o.stop) s.out(`pod/${pod} ${changed ? 'crash stopped' : 'was not crashing'}\n`);
  else s.out(`pod/${pod} ${changed ? 'crash set' : 'crash already set'}: its containers exit ${value}s after it is Ready\n`);
  return 0;
}
