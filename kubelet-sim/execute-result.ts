import type { Api, KubeObject } from '../api/client.js';
import type { ResourceType } from '../api/resources.js';
import { applyMergePatch } from '../apiserver/patch/merge-patch.js';
import type { StageResult } from './stages/engine.js';

/**
 * Carries out what a stage asked for. The status is merged into the cached object and PUT to the
 * status subresource with that object's resourceVersion, so a write based on a stale view fails
 * with 409 instead of undoing someone else's change; the cache's next version is then looked at.
 */
export async function executeResult(client: Api, r: ResourceType, obj: KubeObject, result: StageResult): Promise<void> {
  const ns = obj.metadata?.namespace;
  const name = obj.metadata?.name ?? '';
  if ('delete' in result) {
    await client.delete(r, ns, name, { gracePeriodSeconds: result.delete.gracePeriodSeconds });
    return;
  }
  let rv = obj.metadata?.resourceVersion;
  if (result.patch.metadata) {
    const written = await client.patch(r, ns, name, 'merge', { metadata: { ...result.patch.metadata, resourceVersion: rv } });
    rv = written.metadata?.resourceVersion;
  }
  if (result.patch.status) {
    const status = applyMergePatch(obj.status ?? {}, result.patch.status);
    await client.updateStatus(r, ns, { ...obj, metadata: { ...obj.metadata, resourceVersion: rv }, status });
  }
}
