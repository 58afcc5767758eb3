import { discover, type ApiResource } from './discovery.js';
import type { Rest } from './rest.js';

/**
 * What every command works with: the server, the namespace the flags and the kubeconfig chose,
 * discovery (read once, on first use) and where output goes. Tests build one around a loopback
 * server and a string buffer.
 */
export interface Session {
  rest: Rest;
  namespace: string;
  /** `-n` was given: a manifest naming another namespace is then an error, as in kubectl. */
  namespaceFromFlag: boolean;
  resources(): Promise<ApiResource[]>;
  out(text: string): void;
  err(text: string): void;
  /** Standard input, whole, for `-f -`. */
  readStdin(): Promise<string>;
  now(): number;
}

export function createSession(opts: {
  rest: Rest;
  namespace: string;
  namespaceFromFlag: boolean;
  out?: (text: string) => void;
  err?: (text: string) => void;
  readStdin?: () => Promise<string>;
}): Session {
  let discovered: Promise<ApiResource[]> | undefined;
  return {
    rest: opts.rest,
    namespace: opts.namespace,
    namespaceFromFlag: opts.namespaceFromFlag,
    resources: () => (discovered ??= discover(opts.rest)),
    out: opts.out ?? ((t) => void process.stdout.write(t)),
    err: opts.err ?? ((t) => void process.stderr.write(t)),
    readStdin: opts.readStdin ?? readAll,
    now: () => Date.now(),
  };
}

async function readAll(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
