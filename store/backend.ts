import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

/**
 * The store's tables, each a LevelDB sublevel. One table of names, so that what lives on disk is
 * read in one place.
 *   kv:   revision bytes (see revision.ts) -> an encoded KeyValue (kv-codec.ts); the whole history.
 *   meta: a few named values: the compaction marks and the cluster's identity.
 */
export const TABLES = {
  kv: 'kv',
  meta: 'meta',
} as const;
export type Table = keyof typeof TABLES;

export const META = {
  scheduledCompactRev: 'scheduledCompactRev',
  finishedCompactRev: 'finishedCompactRev',
  clusterId: 'clusterId',
  memberId: 'memberId',
} as const;

export type BackendOp =
  | { type: 'put'; table: Table; key: Buffer; value: Buffer }
  | { type: 'del'; table: Table; key: Buffer };

type Db = AbstractLevel<Buffer, Buffer, Buffer>;
type Sub = AbstractSublevel<Db, Buffer, Buffer, Buffer>;

export interface BackendOptions {
  /** A directory for LevelDB; without one the backend lives in memory (tests, the simulated cluster). */
  dataDir?: string;
  /** Wait for fsync before a write resolves. Always on for a data directory unless turned off. */
  sync?: boolean;
}

export class Backend {
  private readonly tables: Record<Table, Sub>;

  private constructor(
    private readonly db: Db,
    readonly sync: boolean,
    readonly location: string,
  ) {
    const enc = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
    this.tables = {
      kv: db.sublevel<Buffer, Buffer>(TABLES.kv, enc),
      meta: db.sublevel<Buffer, Buffer>(TABLES.meta, enc),
    };
  }

  static async open(opts: BackendOptions = {}): Promise<Backend> {
    const enc = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
    const db: Db = opts.dataDir
      ? (new ClassicLevel<Buffer, Buffer>(opts.dataDir, enc) as unknown as Db)
      : (new MemoryLevel<Buffer, Buffer>(enc) as unknown as Db);
    try {
      await db.open();
    } catch (err) {
      throw new Error(describeOpenError(opts.dataDir ?? 'memory', err), { cause: err });
    }
    return new Backend(db, opts.sync ?? Boolean(opts.dataDir), opts.dataDir ?? 'memory');
  }

  /** Applies every op atomically; with sync, resolves once they are on disk. */
  async write(ops: BackendOp[]): Promise<void> {
    if (ops.length === 0) return;
    const batch = ops.map((op) =>
      op.type === 'put'
        ? { type: 'put' as const, sublevel: this.tables[op.table], key: op.key, value: op.value }
        : { type: 'del' as const, sublevel: this.tables[op.table], key: op.key },
    );
    await this.db.batch(batch as never, { sync: this.sync } as never);
  }

  async get(table: Table, key: Buffer): Promise<Buffer | undefined> {
    return (await this.tables[table].get(key)) ?? undefined;
  }

  async getMany(table: Table, keys: Buffer[]): Promise<Array<Buffer | undefined>> {
    if (keys.length === 0) return [];
    return (await this.tables[table].getMany(keys)).map((v) => v ?? undefined);
  }

  /** Entries of a table in key order within [gte, lt), from a snapshot taken now. */
  async *entries(table: Table, range: { gte?: Buffer; lt?: Buffer } = {}): AsyncGenerator<[Buffer, Buffer]> {
    const it = this.tables[table].iterator(range);
    try {
      for (;;) {
        const chunk = await it.nextv(1000);
        if (chunk.length === 0) return;
        for (const entry of chunk) yield entry as [Buffer, Buffer];
      }
    } finally {
      await it.close();
    }
  }

  async getMeta(name: string): Promise<string | undefined> {
    return (await this.get('meta', Buffer.from(name)))?.toString();
  }

  metaOp(name: string, value: string): BackendOp {
    return { type: 'put', table: 'meta', key: Buffer.from(name), value: Buffer.from(value) };
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

function describeOpenError(where: string, err: unknown): string {
  const cause = (err as { cause?: { message?: string } })?.cause?.message ?? (err as Error)?.message ?? String(err);
  if (/lock/i.test(cause)) {
    return `Cannot open the store's data in ${where}: another store process holds it (${cause}). Stop that process or choose another --data-dir.`;
  }
  return `Cannot open the store's data in ${where}: ${cause}`;
}
