import type { FieldError } from './errors.js';
import type { KubeObject } from './watch-cache.js';

/**
 * A value one object holds alone (a service's cluster IP, a node port), as a key in the store whose
 * value names the holder. The key lies outside /registry/, so no watch and no list ever sees it.
 */
export interface Claim {
  /** `/minik/allocations/nodeports/30080`. */
  key: string;
  /** The 422's cause when the user chose this value and another object holds it. */
  taken: FieldError;
}

/** The values already held in one pool: what follows the pool's key prefix, `10.96.0.12`. */
export type HeldValues = (pool: string) => Promise<ReadonlySet<string>>;

/**
 * What one kind allocates from shared ranges (Kubernetes' service IP and node port allocators).
 * It only reasons about objects; the registry claims and releases the keys in the same txn as the
 * object's own write, so two objects can never hold one value, on minik's store or on etcd.
 */
export interface Allocator {
  /** Before validation: carries over what an update left out, drops what a new type no longer uses. Mutates `obj`. */
  prepare(obj: KubeObject, old: KubeObject | undefined): void;
  /**
   * Picks what `obj` needs and lacks from what `held` says is free, writing it into `obj`. Returns
   * the claim keys it picked (another writer taking one first means: pick again), and the 422
   * causes of values the user chose badly (out of range).
   */
  fill(obj: KubeObject, old: KubeObject | undefined, held: HeldValues): Promise<{ picked: ReadonlySet<string>; errors: FieldError[] }>;
  /** Every claim `obj` holds, read from its fields alone. */
  claims(obj: KubeObject): Claim[];
}

/** The claim keys one write takes (each must be free) and gives back. */
export interface ClaimChanges {
  claim: Claim[];
  release: string[];
  /** Keys of `claim` the server picked rather than the user chose. */
  picked: ReadonlySet<string>;
}

export const NO_CLAIM_CHANGES: ClaimChanges = { claim: [], release: [], picked: new Set() };

/**
 * The write from `before` to `after` claims what `after` holds and `before` did not, and releases
 * the reverse; a value both hold stays claimed untouched.
 *
 *   before holds serviceips/10.96.0.12, after holds serviceips/10.96.0.12 and nodeports/30080
 *     -> claim [nodeports/30080], release []
 */
export function claimChanges(a: Allocator, before: KubeObject | undefined, after: KubeObject | undefined, picked: ReadonlySet<string>): ClaimChanges {
  const had = new Map((before ? a.claims(before) : []).map((c) => [c.key, c]));
  const has = new Map((after ? a.claims(after) : []).map((c) => [c.key, c]));
  return {
    claim: [...has.values()].filter((c) => !had.has(c.key)),
    release: [...had.keys()].filter((k) => !has.has(k)),
    picked,
  };
}

/** The keys, as the object store takes them. */
export function claimKeys(c: ClaimChanges): { claim: string[]; release: string[] } {
  return { claim: c.claim.map((x) => x.key), release: c.release };
}

/** The causes of a 422 when `taken` keys were held by others: only values the user chose; picked ones are picked again. */
export function refusedClaims(changes: ClaimChanges, taken: readonly string[]): FieldError[] {
  const lost = new Set(taken);
  return changes.claim.filter((c) => lost.has(c.key) && !changes.picked.has(c.key)).map((c) => c.taken);
}
