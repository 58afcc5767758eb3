/**
 * One table of the store held in memory, for the simulated cluster and tests: what a LevelDB
 * sublevel offers the backend (atomic batches, point reads, ordered ranges read from a snapshot)
 * and nothing else. The store's history is keyed by revision, so nearly every new key sorts last
 * and is appended; compaction deletes old keys in batches, which are swept in one pass.
 *
 * Keys are held as latin1 strings: one character per byte, so strings compare as the bytes do.
 */
export class MemoryTable {
  private readonly values = new Map<string, Buffer>();
  /** Every key of `values`, in byte order. */
  private keys: string[] = [];

  /** Applies puts and deletes in order, as one step: no read sees part of it. */
  apply(ops: ReadonlyArray<{ type: 'put'; key: Buffer; value: Buffer } | { type: 'del'; key: Buffer }>): void {
    // Deleted keys leave `keys` in one sweep at the end; one put again before it is still there.
    const unswept = new Set<string>();
    for (const op of ops) {
      const key = op.key.toString('latin1');
      if (op.type === 'del') {
        if (this.values.delete(key)) unswept.add(key);
        continue;
      }
      if (!this.values.has(key) && !unswept.delete(key)) this.insert(key);
      this.values.set(key, op.value);
    }
    if (unswept.size > 0) this.keys = this.keys.filter((k) => this.values.has(k));
  }

  get(key: Buffer): Buffer | undefined {
    return this.values.get(key.toString('latin1'));
  }

  /** Entries within [gte, lt) in key order, as they are now: later writes do not show. */
  entries(range: { gte?: Buffer; lt?: Buffer } = {}): Array<[Buffer, Buffer]> {
    const from = range.gte ? this.lowerBound(range.gte.toString('latin1')) : 0;
    const to = range.lt ? this.lowerBound(range.lt.toString('latin1')) : this.keys.length;
    const out: Array<[Buffer, Buffer]> = [];
    for (let i = from; i < to; i++) {
      const k = this.keys[i]!;
      out.push([Buffer.from(k, 'latin1'), this.values.get(k)!]);
    }
    return out;
  }

  private insert(key: string): void {
    const last = this.keys[this.keys.length - 1];
    if (last === undefined || last < key) this.keys.push(key);
    else this.keys.splice(this.lowerBound(key), 0, key);
  }

  /** The index of the first key not before `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
