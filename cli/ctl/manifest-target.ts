import { apiVersionOf, type ApiResource } from './discovery.js';
import { CtlError } from './errors.js';
import type { Manifest } from './manifests.js';
import type { Session } from './session.js';

/** Where a manifest's object lives: its resource, its namespace (none if cluster-scoped), its name. */
export interface Target {
  resource: ApiResource;
  namespace: string | undefined;
  name: string;
}

/**
 * Finds a manifest's resource by apiVersion and kind, and its namespace as kubectl settles it:
 * the manifest's own, else the session's; a manifest naming one namespace while `-n` names
 * another is refused.
 *
 *   targetOf(s, { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web' } })
 *     // { resource: deployments, namespace: 'default', name: 'web' }
 */
export async function targetOf(s: Session, m: Manifest, opts: { needName?: boolean } = {}): Promise<Target> {
  const { apiVersion, kind, metadata } = m.object;
  const resource = (await s.resources()).find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
  if (!resource) {
    throw new CtlError(`resource mapping not found for name: "${metadata.name ?? ''}" namespace: "${metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${kind}" in version "${apiVersion}"`);
  }
  let namespace: string | undefined;
  if (resource.namespaced) {
    if (metadata.namespace && s.namespaceFromFlag && metadata.namespace !== s.namespace) {
      throw new CtlError(
        `the namespace from the provided object "${metadata.namespace}" does not match the namespace "${s.namespace}". You must pass '--namespace=${metadata.namespace}' to perform this operation.`,
      );
    }
    namespace = metadata.namespace || s.namespace;
  }
  const name = typeof metadata.name === 'string' ? metadata.name : '';
  if (!name && opts.needName !== false) throw new CtlError(`error when retrieving current configuration of object from "${m.source}": resource name may not be empty`);
  return { resource, namespace, name };
}
