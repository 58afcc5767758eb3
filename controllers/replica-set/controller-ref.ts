import type { KubeObject } from '../../api/client.js';
import type { Selector } from '../../api/labels.js';
import type { OwnerReference } from '../../api/schemas/meta.js';

/**
 * Owner references between a controller and the objects it manages, as upstream's
 * BaseControllerRefManager.ClaimObject decides them, and the patches that write them.
 *
 *   owner web (uid u1, selector app=web), not being deleted:
 *     pod a: app=web, no controller          -> adopt  (gets controller ref to web)
 *     pod b: app=web, controlled by web      -> keep   (claimed)
 *     pod c: app=db,  controlled by web      -> release (ref removed)
 *     pod d: app=web, controlled by other    -> ignore (another controller's)
 *     pod e: app=web, no controller, being deleted -> ignore (never adopt a terminating object)
 *   claimObjects(web, sel, [a, b, c, d, e]) = { claimed: [a, b], adopt: [a], release: [c] }
 */

/** The owner as a reference points at it. */
export interface Owner {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; uid?: string; deletionTimestamp?: string };
}

export function controllerOf(obj: Readonly<KubeObject>): Readonly<OwnerReference> | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** metav1.NewControllerRef: the reference a managed object carries to its controller. */
export function newControllerRef(owner: Owner): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export interface Claims<T> {
  /** Objects the owner manages after the adoptions and releases succeed. */
  claimed: T[];
  adopt: T[];
  release: T[];
}

export function claimObjects<T extends Readonly<KubeObject>>(owner: Owner, selector: Selector, objects: readonly T[]): Claims<T> {
  const out: Claims<T> = { claimed: [], adopt: [], release: [] };
  const ownerDeleting = Boolean(owner.metadata?.deletionTimestamp);
  for (const obj of objects) {
    const ref = controllerOf(obj);
    const matches = selector.matches(obj.metadata?.labels);
    if (ref) {
      if (ref.uid !== owner.metadata?.uid) continue;
      if (matches) out.claimed.push(obj);
      // An owner on its way out keeps what it has: the garbage collector decides their fate.
      else if (!ownerDeleting) out.release.push(obj);
      continue;
    }
    if (ownerDeleting || !matches || obj.metadata?.deletionTimestamp) continue;
    out.adopt.push(obj);
    out.claimed.push(obj);
  }
  return out;
}

/**
 * The strategic merge patch that adopts `obj`. It names the object's uid, as upstream's does, and
 * its resourceVersion, so that the patch only applies to the object as the owner saw it matching:
 * a pod relabelled in between gets a 409 and is looked at again.
 */
export function adoptPatch(owner: Owner, obj: Readonly<KubeObject>): unknown {
  return {
    metadata: {
      ownerReferences: [newControllerRef(owner)],
      uid: obj.metadata?.uid,
      resourceVersion: obj.metadata?.resourceVersion,
    },
  };
}

/** The strategic merge patch that removes the owner's reference from `obj` (and only that one). */
export function releasePatch(owner: Owner, obj: Readonly<KubeObject>): unknown {
  return {
    metadata: {
      ownerReferences: [{ $patch: 'delete', uid: owner.metadata?.uid }],
      uid: obj.metadata?.uid,
      resourceVersion: obj.metadata?.resourceVersion,
    },
  };
}
