import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { CtlError } from './errors.js';

/** A kubeconfig file, as kubectl writes one; fields minikctl does not use are kept as they are. */
export interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Array<{ name: string; cluster: { server?: string; [k: string]: unknown } }>;
  users?: Array<{ name: string; user?: Record<string, unknown> }>;
  contexts?: Array<{ name: string; context: { cluster?: string; user?: string; namespace?: string; [k: string]: unknown } }>;
  'current-context'?: string;
  preferences?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface LoadedKubeconfig {
  /** The file read, and the one written back; absent files read as an empty config. */
  path: string;
  config: Kubeconfig;
}

/**
 * Which file holds the kubeconfig: `--kubeconfig`, else the first existing file of `KUBECONFIG`
 * (a list like PATH; its first entry if none exists yet), else `~/.minik/config` (what
 * `minik up` writes) if it exists, else `~/.kube/config`.
 *
 *   kubeconfigPath({ env: { KUBECONFIG: '/a:/b' }, home: '/h', exists: (p) => p === '/b' })  // '/b'
 *   kubeconfigPath({ env: {}, home: '/h', exists: () => false })                              // '/h/.kube/config'
 */
export function kubeconfigPath(opts: { flag?: string; env: NodeJS.ProcessEnv; home?: string; exists?: (p: string) => boolean }): string {
  if (opts.flag) return opts.flag;
  const exists = opts.exists ?? existsSync;
  const home = opts.home ?? homedir();
  const fromEnv = (opts.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv.find(exists) ?? fromEnv[0]!;
  const minik = join(home, '.minik', 'config');
  return exists(minik) ? minik : join(home, '.kube', 'config');
}

export function loadKubeconfig(path: string): LoadedKubeconfig {
  if (!existsSync(path)) return { path, config: {} };
  let config: unknown;
  try {
    config = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CtlError(`error loading config file "${path}": ${(err as Error).message.split('\n')[0]}`);
  }
  if (config !== null && config !== undefined && typeof config !== 'object') throw new CtlError(`error loading config file "${path}": not a kubeconfig`);
  return { path, config: (config ?? {}) as Kubeconfig };
}

export function saveKubeconfig({ path, config }: LoadedKubeconfig): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, stringifyYaml({ apiVersion: 'v1', kind: 'Config', ...config }, { indentSeq: false }), { mode: 0o600 });
}

export interface Connection {
  server: string;
  namespace: string;
  /** Whether the namespace came from `-n` rather than the context. */
  namespaceFromFlag: boolean;
  context?: string;
}

/**
 * Where to talk and in which namespace, the way kubectl decides: `--context` or the current
 * context picks the cluster and the namespace; `--server` and `-n` override them. With no config
 * at all kubectl talks to localhost:8080, and so does minikctl.
 *
 *   resolveConnection(cfg, {})                              // { server: 'http://127.0.0.1:6443', namespace: 'default', ... }
 *   resolveConnection(cfg, { namespace: 'kube-system' })    // namespace 'kube-system'
 *   resolveConnection(cfg, { context: 'nope' })             // throws: context was not found for specified context: nope
 */
export function resolveConnection(config: Kubeconfig, flags: { context?: string; server?: string; namespace?: string }): Connection {
  const contextName = flags.context ?? config['current-context'];
  const context = contextName ? config.contexts?.find((c) => c.name === contextName)?.context : undefined;
  if (flags.context && !context) throw new CtlError(`context was not found for specified context: ${flags.context}`);
  const cluster = context?.cluster ? config.clusters?.find((c) => c.name === context.cluster)?.cluster : undefined;
  if (context?.cluster && !cluster && !flags.server) throw new CtlError(`cluster "${context.cluster}" of context "${contextName}" was not found in the kubeconfig`);
  const server = flags.server ?? cluster?.server ?? 'http://localhost:8080';
  return {
    server: /^[a-z]+:\/\//i.test(server) ? server : `http://${server}`,
    namespace: flags.namespace || context?.namespace || 'default',
    namespaceFromFlag: Boolean(flags.namespace),
    ...(contextName ? { context: contextName } : {}),
  };
}

/** `config get-contexts`: the rows kubectl prints, the current one starred. */
export function contextRows(config: Kubeconfig, only?: string): string[][] {
  const contexts = (config.contexts ?? []).filter((c) => !only || c.name === only);
  if (only && contexts.length === 0) throw new CtlError(`context ${only} not found`);
  return [
    ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'],
    ...contexts
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((c) => [c.name === config['current-context'] ? '*' : '', c.name, c.context.cluster ?? '', c.context.user ?? '', c.context.namespace ?? '']),
  ];
}

/** `config use-context NAME`; the config is changed in place. */
export function useContext(config: Kubeconfig, name: string): void {
  if (!config.contexts?.some((c) => c.name === name)) throw new CtlError(`no context exists with the name: "${name}"`);
  config['current-context'] = name;
}

/**
 * `config set-context [NAME | --current] [--namespace NS] [--cluster C] [--user U]`: creates the
 * context if it does not exist. Answers whether it was created or modified, for the message.
 */
export function setContext(
  config: Kubeconfig,
  name: string | undefined,
  fields: { namespace?: string; cluster?: string; user?: string },
): { name: string; created: boolean } {
  const target = name ?? config['current-context'];
  if (!target) throw new CtlError('current-context is not set');
  const contexts = (config.contexts ??= []);
  let entry = contexts.find((c) => c.name === target);
  const created = !entry;
  if (!entry) contexts.push((entry = { name: target, context: {} }));
  if (fields.namespace !== undefined) entry.context.namespace = fields.namespace;
  if (fields.cluster !== undefined) entry.context.cluster = fields.cluster;
  if (fields.user !== undefined) entry.context.user = fields.user;
  return { name: target, created };
}
