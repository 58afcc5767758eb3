import { CtlError } from './errors.js';
import { podFor } from './logs.js';
import type { Session } from './session.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * `exec`, `attach`, `port-forward` and `cp`, which need a process in a container: minik's containers
 * are simulated, so the API server refuses these subresources and says why. minikctl finds the pod
 * as kubectl does (a missing one is NotFound), then asks, so a class reads the server's own answer:
 *
 *   minikctl exec web-1 -- ls
 *     // Error from server (BadRequest): pods/exec is not supported: minik's containers are simulated, ...
 */
async function ask(s: Session, podArg: string, sub: 'exec' | 'attach' | 'portforward'): Promise<never> {
  const pod: Json = await podFor(s, podArg, false);
  await s.rest.request('POST', `/api/v1/namespaces/${encodeURIComponent(s.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/${sub}`);
  throw new CtlError(`the API server accepted pods/${sub}, which minikctl cannot carry on`);
}

/** `minikctl exec POD -- COMMAND...` */
export async function runExec(s: Session, args: string[]): Promise<number> {
  const [pod, ...command] = args;
  if (!pod) throw new CtlError('pod, type/name or --filename must be specified');
  if (command.length === 0) throw new CtlError('you must specify at least one command for the container');
  return ask(s, pod, 'exec');
}

/** `minikctl attach POD` */
export async function runAttach(s: Session, pod: string): Promise<number> {
  return ask(s, pod, 'attach');
}

/** `minikctl port-forward TYPE/NAME [LOCAL:]REMOTE...`: kubectl says the upgrade failed, and why. */
export async function runPortForward(s: Session, args: string[]): Promise<number> {
  const [target, ...ports] = args;
  if (!target || ports.length === 0) throw new CtlError('TYPE/NAME and list of ports are required for port-forward');
  try {
    return await ask(s, target, 'portforward');
  } catch (err) {
    if (err instanceof CtlError || (err as { code?: number }).code !== 400) throw err;
    throw new CtlError(`error upgrading connection: ${(err as Error).message}`);
  }
}

/** `minikctl cp POD:PATH LOCAL` (or the other way): kubectl copies through `tar` run by exec. */
export async function runCp(s: Session, from: string, to: string): Promise<number> {
  const remote = [from, to].find((x) => /^[^/:]+:/.test(x));
  if (!remote) throw new CtlError('one of src or dest must be a remote file specification');
  return ask(s, remote.slice(0, remote.indexOf(':')), 'exec');
}
