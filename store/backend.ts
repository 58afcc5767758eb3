import type { AbstractLevel, AbstractSublevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryTable } from './memory-table.js';

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
  /**
   * A directory for LevelDB; without one the backend lives in memory (tests, the simulated cluster),
   * in plain sorted tables: the simulated cluster writes through the store thousands of times a
   * second, and an in-memory LevelDB (memory-level) spent about 7 % of its time on each batch's
   * checks, encodings and copy-on-write tree.
   */
  dataDir?: string;
  /** Wait for fsync before a write resolves. Always on for a data directory unless turned off. */
  sync?: boolean;
}

export class Backend {
  private constructor(
    private readonly tables: Tables,
    readonly sync: boolean,
    readonly location: string,
  ) {}

  static async open(opts: BackendOptions = {}): Promise<Backend> {
    if (!opts.dataDir) return new Backend(new MemoryTables(), false, 'memory');
    const enc = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
    const db: Db = new ClassicLevel<Buffer, Buffer>(opts.dataDir, enc) as unknown as Db;
    try {
      await db.open();
    } catch (err) {
      throw new Error(describeOpenError(opts.dataDir, err), { cause: err });
    }
    const sync = opts.sync ?? true;
    return new Backend(new LevelTables(db, sync), sync, opts.dataDir);
  }

  /** Applies every op atomically; with sync, resolves once they are on disk. */
  async write(ops: BackendOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.tables.write(ops);
  }

  async get(table: Table, key: Buffer): Promise<Buffer | undefined> {
    return (await this.tables.getMany(table, [key]))[0];
  }

  async getMany(table: Table, keys: Buffer[]): Promise<Array<Buffer | undefined>> {
    if (keys.length === 0) return [];
    return this.tables.getMany(table, keys);
  }

  /** Entries of a table in key order within [gte, lt), from a snapshot taken now. */
  entries(table: Table, range: { gte?: Buffer; lt?: Buffer } = {}): AsyncGenerator<[Buffer, Buffer]> {
    return this.tables.entries(table, range);
  }

  async getMeta(name: string): Promise<string | undefined> {
    return (await this.get('meta', Buffer.from(name)))?.toString();
  }

  metaOp(name: string, value: string): BackendOp {
    return { type: 'put', table: 'meta', key: Buffer.from(name), value: Buffer.from(value) };
  }

  async close(): Promise<void> {
    await this.tables.close();
  }
}

/** Where the tables live: LevelDB on disk, or memory. */
interface Tables {
  write(ops: BackendOp[]): Promise<void>;
  getMany(table: Table, keys: Buffer[]): Promise<Array<Buffer | undefined>>;
  entries(table: Table, range: { gte?: Buffer; lt?: Buffer }): AsyncGenerator<[Buffer, Buffer]>;
  close(): Promise<void>;
}

/** Each table a LevelDB sublevel of one database, so that a batch over both is one atomic write. */
class LevelTables implements Tables {
  private readonly subs: Record<Table, Sub>;

  constructor(
    private readonly db: Db,
    private readonly sync: boolean,
  ) {
    const enc = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;
    this.subs = {
      kv: db.sublevel<Buffer, Buffer>(TABLES.kv, enc),
      meta: db.sublevel<Buffer, Buffer>(TABLES.meta, enc),
    };
  }

  async write(ops: BackendOp[]): Promise<void> {
    const batch = ops.map((op) =>
      op.type === 'put'
        ? { type: 'put' as const, sublevel: this.subs[op.table], key: op.key, value: op.value }
        : { type: 'del' as const, sublevel: this.subs[op.table], key: op.key },
    );
    await this.db.batch(batch as never, { sync: this.sync } as never);
  }

  async getMany(table: Table, keys: Buffer[]): Promise<Array<Buffer | undefined>> {
    return (await this.subs[table].getMany(keys)).map((v) => v ?? undefined);
  }

  async *entries(table: Table, range: { gte?: Buffer; lt?: Buffer }): AsyncGenerator<[Buffer, Buffer]> {
    const it = this.subs[table].iterator(range);
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

  async close(): Promise<void> {
    await this.db.close();
  }
}

class MemoryTables implements Tables {
  private readonly tables: Record<Table, MemoryTable> = { kv: new MemoryTable(), meta: new MemoryTable() };
  private closed = false;

  async write(ops: BackendOp[]): Promise<void> {
    this.assertOpen();
    for (const table of Object.keys(this.tables) as Table[]) {
      const mine = ops.filter((op) => op.table === table);
      if (mine.length > 0) this.tables[table].apply(mine);
    }
  }

  async getMany(table: Table, keys: Buffer[]): Promise<Array<Buffer | undefined>> {
    this.assertOpen();
    return keys.map((k) => this.tables[table].get(k));
  }

  async *entries(table: Table, range: { gte?: Buffer; lt?: Buffer }): AsyncGenerator<[Buffer, Buffer]> {
    this.assertOpen();
    yield* this.tables[table].entries(range);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the store\'s memory tables are closed');
  }
}

function describeOpenError(where: string, err: unknown): string {
  const cause = (err as { cause?: { message?: string } })?.cause?.message ?? (err as Error)?.message ?? String(err);
  if (/lock/i.test(cause)) {
    return `Cannot open the store's data in ${where}: another store process holds it (${cause}). Stop that process or choose another --data-dir.`;
  }
  return `Cannot open the store's data in ${where}: ${cause}`;
}
