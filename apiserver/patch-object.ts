import { ApiError } from './errors.js';
import type { PatchType } from './http/body.js';
import { applyJsonPatch } from './patch/json-patch.js';
import { applyMergePatch } from './patch/merge-patch.js';
import { PatchError } from './patch/patch-error.js';
import { applyStrategicMergePatch } from './patch/strategic-merge-patch.js';
import { strategyFor } from './patch/strategies.js';
import type { KubeObject } from './watch-cache.js';

/**
 * An object with a patch applied, by the patch's type. Server-side apply is served as a strategic
 * merge of the applied configuration over the live object: what the applier sets wins, and what it
 * leaves out stays (field ownership is not tracked).
 */
export function patchObject(type: PatchType, current: KubeObject, patch: unknown, kind: string): KubeObject {
  try {
    let out: unknown;
    switch (type) {
      case 'json':
        out = applyJsonPatch(current, patch);
        break;
      case 'merge':
        out = applyMergePatch(current, patch);
        break;
      case 'strategic':
      case 'apply':
        out = applyStrategicMergePatch(current, patch, strategyFor(kind));
        break;
    }
    if (out === null || typeof out !== 'object' || Array.isArray(out)) throw new PatchError('the patched object is not an object');
    return out as KubeObject;
  } catch (err) {
    // A patch that is itself wrong is the client's mistake (400); one that does not fit the object, 422.
    if (err instanceof PatchError) throw err.malformed ? ApiError.badRequest(err.message) : new ApiError(422, 'Invalid', err.message);
    throw err;
  }
}
