import { CtlError } from './errors.js';
import { createGenerated } from './create-generators.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

export interface RunOptions {
  image?: string;
  port?: string;
  labels?: string;
  env?: string[];
  restart?: string;
  command?: boolean;
  dryRun?: string;
  output?: string;
}

/** `a=b,c=d` as kubectl run's --labels reads it. */
function parseLabels(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new CtlError(`invalid label spec: ${pair}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * The Pod `kubectl run` makes: one container named after the pod, labelled `run=NAME` unless
 * `--labels` says otherwise, restartPolicy from `--restart` (Always by default), the extra
 * arguments as the container's args (or its command with `--command`).
 *
 *   runPod('web', { image: 'nginx', port: '80' }, [])
 *     // { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', creationTimestamp: null, labels: { run: 'web' } },
 *     //   spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }],
 *     //           dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' } }
 */
export function runPod(name: string, o: RunOptions, extra: readonly string[]): Json {
  if (!o.image) throw new CtlError('--image is required');
  const restart = o.restart ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) throw new CtlError(`invalid restart policy: ${restart}`);
  const container: Json = { name, image: o.image };
  if (extra.length > 0) container[o.command ? 'command' : 'args'] = [...extra];
  if (o.env && o.env.length > 0) {
    container.env = o.env.map((e) => {
      const eq = e.indexOf('=');
      if (eq <= 0) throw new CtlError(`invalid env: ${e}`);
      return { name: e.slice(0, eq), value: e.slice(eq + 1) };
    });
  }
  if (o.port !== undefined && o.port !== '') {
    const port = Number(o.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new CtlError(`invalid port: ${o.port}`);
    container.ports = [{ containerPort: port }];
  }
  container.resources = {};
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, creationTimestamp: null, labels: o.labels ? parseLabels(o.labels) : { run: name } },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
    status: {},
  };
}

/** `minikctl run web --image=nginx`: `pod/web created` (or the Pod itself with `--dry-run=client -o yaml`). */
export function runRun(s: Session, name: string, extra: string[], o: RunOptions): Promise<number> {
  return createGenerated(s, runPod(name, o, extra), o);
}
