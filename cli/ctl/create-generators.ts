import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { validateDns1123Subdomain } from '../../api/names.js';
import { setOwn } from '../../apiserver/patch/json-value.js';
import { envFilePairs } from './env-file.js';
import { checkKeyPair } from './tls-key-pair.js';
import { ApiError, CtlError } from './errors.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

/** Where `--from-file` and `--from-env-file` read: the file system and the environment, or fakes of them in tests. */
export interface FileSource {
  isDirectory(path: string): boolean;
  list(dir: string): string[];
  read(path: string): Buffer;
  /** A variable of the environment, for an env file's line that names one without a value. */
  env(name: string): string | undefined;
}

export const LOCAL_FILES: FileSource = {
  isDirectory: (p) => statSync(p).isDirectory(),
  list: (dir) => readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(dir, e.name)).sort(),
  read: (p) => readFileSync(p),
  env: (name) => process.env[name],
};

export interface DataSources {
  fromLiteral?: string[];
  fromFile?: string[];
  fromEnvFile?: string[];
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/**
 * The data `kubectl create configmap` and `create secret generic` gather: `--from-literal=KEY=VALUE`,
 * and `--from-file=[KEY=]PATH` (a folder gives each of its files, named by their file names), or
 * else the pairs of `--from-env-file=PATH` files (see `envFilePairs`). Keys must be config keys
 * and appear once. A file that is not UTF-8 goes to binaryData.
 *
 *   gatherData('ConfigMap', 'settings', { fromLiteral: ['mode=fast', 'level=3'] }, files)
 *     // { data: { mode: 'fast', level: '3' }, binaryData: {} }
 */
export function gatherData(kind: 'ConfigMap' | 'Secret', name: string, sources: DataSources, files: FileSource): { data: Record<string, string>; binaryData: Record<string, Buffer> } {
  const data: Record<string, string> = {};
  const binaryData: Record<string, Buffer> = {};
  const add = (key: string, value: string | Buffer) => {
    if (!CONFIG_KEY.test(key)) {
      throw new CtlError(
        `"${key}" is not a valid key name for a ${kind}: a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      );
    }
    if (Object.hasOwn(data, key) || Object.hasOwn(binaryData, key)) {
      // kubectl words the two kinds' duplicates differently.
      throw new CtlError(kind === 'ConfigMap' ? `cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${name}"` : `cannot add key ${key}, another key by that name already exists`);
    }
    if (typeof value === 'string') setOwn(data, key, value);
    else setOwn(binaryData, key, value);
  };
  const envFiles = sources.fromEnvFile ?? [];
  if (envFiles.length > 0 && ((sources.fromFile ?? []).length > 0 || (sources.fromLiteral ?? []).length > 0)) {
    throw new CtlError('from-env-file cannot be combined with from-file or from-literal');
  }
  for (const source of sources.fromLiteral ?? []) {
    const eq = source.indexOf('=');
    if (eq <= 0) throw new CtlError(`invalid literal source ${source}, expected key=value`);
    add(source.slice(0, eq), source.slice(eq + 1));
  }
  for (const source of sources.fromFile ?? []) {
    const eq = source.indexOf('=');
    const [key, path] = eq < 0 ? [undefined, source] : [source.slice(0, eq), source.slice(eq + 1)];
    if (key === '' || path === '') throw new CtlError(`key names or file paths cannot be empty in ${source}`);
    let directory: boolean;
    try {
      directory = files.isDirectory(path);
    } catch {
      throw new CtlError(`error reading ${path}: no such file or directory`);
    }
    if (directory && key !== undefined) throw new CtlError('cannot give a key name for a directory path');
    for (const file of directory ? files.list(path) : [path]) {
      const bytes = files.read(file);
      const text = utf8(bytes);
      // A Secret holds bytes whatever they are; a ConfigMap keeps what is not text apart.
      add(key ?? basename(file), kind === 'Secret' ? bytes : (text ?? bytes));
    }
  }
  for (const path of envFiles) {
    let directory: boolean;
    try {
      directory = files.isDirectory(path);
    } catch {
      throw new CtlError(`error reading ${path}: no such file or directory`);
    }
    if (directory) throw new CtlError(`env ${kind === 'ConfigMap' ? 'config' : 'secret'} file cannot be a directory`);
    for (const [key, value] of envFilePairs(path, files.read(path), files.env)) add(key, value);
  }
  return { data, binaryData };
}

function utf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The ConfigMap of `kubectl create configmap NAME --from-literal ... --from-file ...`. Like every
 * object made here, as kubectl prints it: with the `creationTimestamp: null` of Go's zero time.
 */
export function configMapObject(name: string, sources: DataSources, files: FileSource = LOCAL_FILES): Json {
  const { data, binaryData } = gatherData('ConfigMap', name, sources, files);
  const binary = Object.entries(binaryData);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, creationTimestamp: null },
    ...(Object.keys(data).length > 0 ? { data } : {}),
    ...(binary.length > 0 ? { binaryData: Object.fromEntries(binary.map(([k, v]) => [k, v.toString('base64')])) } : {}),
  };
}

/** The Secret of `kubectl create secret generic NAME`: every value base64, of `--type` if given (the server makes it Opaque). */
export function secretObject(name: string, sources: DataSources, type?: string, files: FileSource = LOCAL_FILES): Json {
  const { data, binaryData } = gatherData('Secret', name, sources, files);
  const encoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(data)) setOwn(encoded, k, Buffer.from(v).toString('base64'));
  for (const [k, v] of Object.entries(binaryData)) setOwn(encoded, k, v.toString('base64'));
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, creationTimestamp: null }, ...(Object.keys(encoded).length > 0 ? { data: encoded } : {}), ...(type ? { type } : {}) };
}

export interface DockerRegistryOptions {
  dockerServer?: string;
  dockerUsername?: string;
  dockerPassword?: string;
  dockerEmail?: string;
  fromFile?: string[];
}

/** Docker Hub, where `docker login` logs in unless told. */
export const DEFAULT_DOCKER_SERVER = 'https://index.docker.io/v1/';

/**
 * The Secret of `kubectl create secret docker-registry NAME`, which a pod names in its
 * `imagePullSecrets` to pull from a private registry: a `.dockerconfigjson` as `docker login`
 * writes it (the server's credentials, and `auth`, the base64 of `user:password`), or the config
 * files given with `--from-file`, each under `.dockerconfigjson` unless named.
 *
 *   dockerRegistrySecret('regcred', { dockerServer: 'registry.example', dockerUsername: 'ada', dockerPassword: 'pw' }).data['.dockerconfigjson']
 *     // base64 of {"auths":{"registry.example":{"username":"ada","password":"pw","auth":"YWRhOnB3"}}}
 */
export function dockerRegistrySecret(name: string, o: DockerRegistryOptions, files: FileSource = LOCAL_FILES): Json {
  const fromFile = o.fromFile ?? [];
  const server = o.dockerServer ?? DEFAULT_DOCKER_SERVER;
  if (fromFile.length === 0 && (!o.dockerUsername || !o.dockerPassword || !server)) {
    throw new CtlError('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
  }
  if (fromFile.length > 0) {
    const sources = fromFile.map((f) => (f.includes('=') ? f : `.dockerconfigjson=${f}`));
    return { ...secretObject(name, { fromFile: sources }, undefined, files), type: 'kubernetes.io/dockerconfigjson' };
  }
  const entry: Record<string, string> = { username: o.dockerUsername!, password: o.dockerPassword! };
  if (o.dockerEmail) entry.email = o.dockerEmail;
  entry.auth = Buffer.from(`${o.dockerUsername}:${o.dockerPassword}`).toString('base64');
  const config = goJson({ auths: { [server]: entry } });
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, creationTimestamp: null },
    data: { '.dockerconfigjson': Buffer.from(config).toString('base64') },
    type: 'kubernetes.io/dockerconfigjson',
  };
}

/** JSON as Go's encoding/json writes it: `<`, `>`, `&` and the two line separators escaped. */
function goJson(v: unknown): string {
  return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export interface TlsOptions {
  cert?: string;
  key?: string;
}

/**
 * The Secret of `kubectl create secret tls NAME --cert=FILE --key=FILE`: the two files as they
 * are, once they are checked to be a certificate and its private key (`checkKeyPair`).
 */
export function tlsSecret(name: string, o: TlsOptions, files: FileSource = LOCAL_FILES): Json {
  if (!o.cert || !o.key) throw new CtlError('key and cert must be specified');
  const cert = readWhole(o.cert, files);
  const key = readWhole(o.key, files);
  checkKeyPair(cert, key);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, creationTimestamp: null },
    data: { 'tls.crt': cert.toString('base64'), 'tls.key': key.toString('base64') },
    type: 'kubernetes.io/tls',
  };
}

/** A file read whole, or kubectl's words for why it cannot be. */
function readWhole(path: string, files: FileSource): Buffer {
  let directory: boolean;
  try {
    directory = files.isDirectory(path);
  } catch {
    throw new CtlError(`Cannot read file ${path}, open ${path}: no such file or directory`);
  }
  if (directory) throw new CtlError(`Cannot read file ${path}, read ${path}: is a directory`);
  try {
    return files.read(path);
  } catch {
    throw new CtlError(`Cannot read file ${path}, open ${path}: permission denied`);
  }
}

/** The ServiceAccount of `kubectl create serviceaccount NAME`. */
export function serviceAccountObject(name: string): Json {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, creationTimestamp: null } };
}

/** The Namespace of `kubectl create namespace NAME`. */
export function namespaceObject(name: string): Json {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, creationTimestamp: null }, spec: {}, status: {} };
}

export interface DeploymentOptions {
  image?: string[];
  replicas?: number;
  port?: number;
}

/**
 * The Deployment of `kubectl create deployment NAME --image=IMAGE`: labelled `app=NAME`, selecting
 * that label, one container per image named after the image (registry, tag and digest cut; `_`
 * and `.` made `-`).
 *
 *   deploymentObject('web', { image: ['registry.example/team/nginx:1.27'] }).spec.template.spec.containers
 *     // [{ name: 'nginx', image: 'registry.example/team/nginx:1.27', resources: {} }]
 */
export function deploymentObject(name: string, o: DeploymentOptions): Json {
  const images = o.image ?? [];
  if (images.length === 0) throw new CtlError('required flag(s) "image" not set');
  const replicas = o.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 0) throw new CtlError(`invalid replicas: ${o.replicas}`);
  const labels = { app: name };
  const containers = images.map((image): Json => {
    const last = image.split('/').pop()!;
    const bare = last.split('@')[0]!.split(':')[0]!;
    return { name: bare.replace(/[_.]/g, '-'), image, resources: {} };
  });
  // As kubectl: the port goes to the first container, whatever the others.
  if (o.port !== undefined) containers[0]!.ports = [{ containerPort: o.port }];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, creationTimestamp: null, labels },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { creationTimestamp: null, labels }, spec: { containers } }, strategy: {} },
    status: {},
  };
}

export type ServiceType = 'clusterip' | 'nodeport' | 'loadbalancer' | 'externalname';

export interface ServiceOptions {
  tcp?: string[];
  nodePort?: number;
  clusterip?: string;
  externalName?: string;
}

const SERVICE_TYPES: Record<ServiceType, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };

/**
 * The Service of `kubectl create service TYPE NAME`: labelled and selecting `app=NAME`, one TCP
 * port per `--tcp=PORT[:TARGET]` (the target a number or a port name; the port's name the flag
 * with `-` for `:`), `--node-port` on each for a NodePort, `--clusterip=None` for a headless one.
 *
 *   serviceObject('clusterip', 'web', { tcp: ['80:8080'] }).spec.ports
 *     // [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]
 */
export function serviceObject(type: ServiceType, name: string, o: ServiceOptions): Json {
  const tcp = o.tcp ?? [];
  if (type === 'externalname') {
    if (!o.externalName) throw new CtlError('required flag(s) "external-name" not set');
    if (validateDns1123Subdomain(o.externalName).length > 0) throw new CtlError(`invalid service external name ${o.externalName}`);
  } else if (tcp.length === 0 && o.clusterip !== 'None') throw new CtlError('at least one tcp port specifier must be provided');
  const ports = tcp.map((spec) => {
    const [port, target = port] = spec.split(':', 2) as [string, string?];
    const number = goPort(port);
    const targetPort = /^\d+$/.test(target) ? goPort(target) : target;
    return { name: spec.replaceAll(':', '-'), protocol: 'TCP', port: number, targetPort, ...(o.nodePort ? { nodePort: o.nodePort } : {}) };
  });
  const labels = { app: name };
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, creationTimestamp: null, labels },
    spec: {
      ...(ports.length > 0 ? { ports } : {}),
      selector: labels,
      ...(o.clusterip ? { clusterIP: o.clusterip } : {}),
      type: SERVICE_TYPES[type],
      ...(type === 'externalname' ? { externalName: o.externalName } : {}),
    },
    status: { loadBalancer: {} },
  };
}

/** A port as Go's strconv.ParseUint(s, 10, 16) reads it, with its error. */
function goPort(s: string): number {
  if (!/^\d+$/.test(s)) throw new CtlError(`strconv.ParseUint: parsing "${s}": invalid syntax`);
  const n = Number(s);
  if (n > 65535) throw new CtlError(`strconv.ParseUint: parsing "${s}": value out of range`);
  return n;
}

/** The one NAME a generator takes, or kubectl's words for any other count. */
export function oneName(names: readonly string[], command: string): string {
  if (names.length !== 1) throw new CtlError(`exactly one NAME is required, got ${names.length}\nSee 'minikctl ${command} -h' for help and examples`);
  return names[0]!;
}

/** Where each generated kind is created, and how kubectl names it in what it prints. */
const TARGETS: Record<string, { path: (ns: string) => string; qualified: string; namespaced: boolean }> = {
  ConfigMap: { path: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps`, qualified: 'configmap', namespaced: true },
  Secret: { path: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/secrets`, qualified: 'secret', namespaced: true },
  Namespace: { path: () => '/api/v1/namespaces', qualified: 'namespace', namespaced: false },
  Deployment: { path: (ns) => `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/deployments`, qualified: 'deployment.apps', namespaced: true },
  Service: { path: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/services`, qualified: 'service', namespaced: true },
  Pod: { path: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`, qualified: 'pod', namespaced: true },
  ServiceAccount: { path: (ns) => `/api/v1/namespaces/${encodeURIComponent(ns)}/serviceaccounts`, qualified: 'serviceaccount', namespaced: true },
};

export interface CreateOutput {
  dryRun?: string;
  output?: string;
}

/**
 * Creates an object made from flags (`create configmap`, `run`, `expose`...) in the session's
 * namespace and prints `configmap/settings created` (`exposed` for expose), or the object with `-o`.
 * `--dry-run=client` prints it without asking the server, `server` has the server check it without
 * keeping it. `failure` leads the server's refusal, as kubectl's `failed to create configmap: `.
 * A namespace given with `-n` is written into the object, as kubectl writes it: what
 * `-n team create deployment web --image=nginx --dry-run=client -o yaml` prints applies to team.
 */
export async function createGenerated(s: Session, generated: Json, o: CreateOutput, words: { verb?: 'created' | 'exposed'; failure?: string } = {}): Promise<number> {
  const verb = words.verb ?? 'created';
  const target = TARGETS[generated.kind as string]!;
  const object = target.namespaced && s.namespaceFromFlag ? inNamespace(generated, s.namespace) : generated;
  const how = changeOutput(o);
  const named = `${target.qualified}/${object.metadata.name as string}`;
  if (how.dryRun === 'client') {
    printChange(s, how, named, verb, object);
    return 0;
  }
  const { status: _status, ...body } = object;
  let created: Json;
  try {
    created = await s.rest.request<Json>('POST', `${target.path(s.namespace)}${dryRunQuery(how)}`, { body });
  } catch (err) {
    // Most of kubectl's generators put the server's refusal in words of their own.
    if (words.failure !== undefined && err instanceof ApiError) throw new CtlError(`${words.failure}${err.message.replace(/\s*\n\s*/g, ' ')}`);
    throw err;
  }
  printChange(s, how, named, verb, created);
  return 0;
}

/** The object with `namespace` after its name, where kubectl's metadata has it. */
function inNamespace(object: Json, namespace: string): Json {
  const { name, ...rest } = object.metadata as Json;
  return { ...object, metadata: { name, namespace, ...rest } };
}
