import { existsSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

/**
 * Kubernetes' protobuf messages for the kinds minik serves (`schema/*.proto`: names and field
 * numbers as the Kubernetes API defines them), loaded once, on the first protobuf body.
 */

let root: protobuf.Root | undefined;

export function schemaDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'apiserver', 'protobuf', 'schema');
    if (existsSync(join(candidate, 'k8s.io.api.core.v1.proto'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`Cannot read protobuf bodies: no apiserver/protobuf/schema above ${from}`);
  }
}

export function protobufRoot(): protobuf.Root {
  if (root) return root;
  const dir = schemaDir();
  const r = new protobuf.Root();
  // Imports name sibling files.
  r.resolvePath = (_origin, target) => (isAbsolute(target) ? target : join(dir, target));
  r.loadSync(readdirSync(dir).filter((f) => f.endsWith('.proto')).map((f) => join(dir, f)));
  r.resolveAll();
  return (root = r);
}

const META = 'k8s.io.apimachinery.pkg.apis.meta.v1';

/**
 * The message for an object's apiVersion and kind: group `apps` is package k8s.io.api.apps.v1,
 * `coordination.k8s.io` k8s.io.api.coordination.v1, the core group k8s.io.api.core.v1.
 * DeleteOptions travels under every group's version, as Kubernetes registers it.
 */
export function messageType(apiVersion: string, kind: string): protobuf.Type | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const name = kind === 'DeleteOptions' ? `${META}.DeleteOptions` : `k8s.io.api.${group!.split('.')[0] || 'core'}.${version}.${kind}`;
  if (!/^[A-Za-z0-9.]+$/.test(name)) return undefined;
  const found = protobufRoot().lookup(name);
  return found instanceof protobuf.Type ? found : undefined;
}

export function envelopeType(): protobuf.Type {
  return protobufRoot().lookupType('k8s.io.apimachinery.pkg.runtime.Unknown');
}
