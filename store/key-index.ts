import type { Revision } from './revision.js';
import { revisionId } from './revision.js';

/**
 * The history of one key, as etcd keeps it: a list of generations. A generation runs from the put
 * that created the key to the tombstone that deleted it; the last generation is open (it may be
 * empty, meaning the key does not exist now).
 *
 * Example: put(1.0); put(2.0); tombstone(3.0); put(4.0); tombstone(5.0) on key "foo" gives
 *
 *   generations:
 *     {empty}
 *     {4.0, 5.0(t)}
 *     {1.0, 2.0, 3.0(t)}
 *
 * compact(2) keeps 2.0, the newest revision at or before 2, and drops 1.0:
 *     {empty}  {4.0, 5.0(t)}  {2.0, 3.0(t)}
 * compact(4) drops the whole first generation and keeps 4.0:
 *     {empty}  {4.0, 5.0(t)}
 * compact(5) drops 4.0, and the tombstone 5.0 too, since nothing older is left to delete:
 *     {empty}                       (the key index is empty and leaves the tree)
 */
export class KeyIndex {
  /** The newest revision of the key, tombstones included. */
  modified: Revision = { main: 0, sub: 0 };
  generations: Generation[] = [new Generation()];

  put(rev: Revision): void {
    if (rev.main < this.modified.main || (rev.main === this.modified.main && rev.sub <= this.modified.sub)) {
      throw new Error(`key index: revision ${rev.main}.${rev.sub} is not newer than ${this.modified.main}.${this.modified.sub}`);
    }
    const g = this.last();
    if (g.revs.length === 0) g.created = rev;
    g.revs.push(rev);
    g.ver++;
    this.modified = rev;
  }

  /** Marks the key deleted at `rev` and opens a new, empty generation. False if it was not live. */
  tombstone(rev: Revision): boolean {
    if (this.last().revs.length === 0) return false;
    this.put(rev);
    this.generations.push(new Generation());
    return true;
  }

  /** Seeds the index from the newest stored revision of a key, when the store starts. */
  restore(created: Revision, modified: Revision, version: number): void {
    const g = new Generation();
    g.created = created;
    g.ver = version;
    g.revs = [modified];
    this.generations = [g];
    this.modified = modified;
  }

  /**
   * The revision of the key's value as of `atRev`, with its create revision and version;
   * undefined if the key did not exist then.
   */
  get(atRev: number): { modified: Revision; created: Revision; version: number } | undefined {
    const g = this.findGeneration(atRev);
    if (!g) return undefined;
    for (let i = g.revs.length - 1; i >= 0; i--) {
      const r = g.revs[i]!;
      if (r.main <= atRev) {
        return { modified: r, created: g.created, version: g.ver - (g.revs.length - 1 - i) };
      }
    }
    return undefined;
  }

  /**
   * Drops every revision at or before `atRev` except the newest one (and drops that too if it is
   * a tombstone). Adds the revisions that must stay on disk to `keep`.
   */
  compact(atRev: number, keep: Set<string>): void {
    let genIdx = 0;
    // The first generation that is still alive at atRev, or created after it.
    while (genIdx < this.generations.length - 1) {
      const g = this.generations[genIdx]!;
      if (g.revs[g.revs.length - 1]!.main > atRev) break;
      genIdx++;
    }
    const g = this.generations[genIdx]!;
    let revIndex = -1;
    for (let i = g.revs.length - 1; i >= 0; i--) {
      if (g.revs[i]!.main <= atRev) {
        keep.add(revisionId(g.revs[i]!));
        revIndex = i;
        break;
      }
    }
    if (g.revs.length > 0) {
      if (revIndex !== -1) g.revs = g.revs.slice(revIndex);
      // A lone tombstone guards nothing older: it goes too.
      if (g.revs.length === 1 && genIdx !== this.generations.length - 1) {
        keep.delete(revisionId(g.revs[0]!));
        genIdx++;
      }
    }
    this.generations = this.generations.slice(genIdx);
  }

  isEmpty(): boolean {
    return this.generations.length === 1 && this.generations[0]!.revs.length === 0;
  }

  /** Live now: the last generation has a put and no tombstone. */
  isLive(): boolean {
    return this.last().revs.length > 0;
  }

  private last(): Generation {
    return this.generations[this.generations.length - 1]!;
  }

  /** The generation the key was in at `rev`, or undefined if the key did not exist then. */
  private findGeneration(rev: number): Generation | undefined {
    const lastIdx = this.generations.length - 1;
    for (let i = lastIdx; i >= 0; i--) {
      const g = this.generations[i]!;
      if (g.revs.length === 0) continue;
      // A closed generation's last revision is its tombstone: at or after it, the key was gone.
      if (i !== lastIdx && g.revs[g.revs.length - 1]!.main <= rev) return undefined;
      if (g.revs[0]!.main <= rev) return g;
    }
    return undefined;
  }
}

export class Generation {
  /** Puts since the generation was created, even those compacted away. */
  ver = 0;
  created: Revision = { main: 0, sub: 0 };
  revs: Revision[] = [];
}
