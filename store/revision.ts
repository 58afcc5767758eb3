/**
 * A revision is (main, sub): `main` is the store-wide revision of a write transaction, `sub` the
 * position of a change inside it. On disk a revision is 8 bytes of big-endian main, `_`, 8 bytes of
 * big-endian sub, and a trailing `t` for a tombstone, as etcd lays it out, so that byte order is
 * revision order and the key-value sublevel iterates in history order.
 *
 *   encodeRevision({ main: 5, sub: 1 })        = 00..05 5f 00..01        (17 bytes)
 *   encodeRevision({ main: 5, sub: 1 }, true)  = 00..05 5f 00..01 74     (18 bytes)
 */
export interface Revision {
  main: number;
  sub: number;
}

export const REVISION_BYTES = 17;
const TOMBSTONE = 0x74; // 't'

const TWO_32 = 2 ** 32;

export function encodeRevision(rev: Revision, tombstone = false): Buffer {
  const b = Buffer.allocUnsafe(tombstone ? REVISION_BYTES + 1 : REVISION_BYTES);
  // Two 32-bit halves: exact for every revision below 2^53, and much cheaper than BigInt.
  b.writeUInt32BE(Math.floor(rev.main / TWO_32), 0);
  b.writeUInt32BE(rev.main >>> 0, 4);
  b[8] = 0x5f;
  b.writeUInt32BE(Math.floor(rev.sub / TWO_32), 9);
  b.writeUInt32BE(rev.sub >>> 0, 13);
  if (tombstone) b[REVISION_BYTES] = TOMBSTONE;
  return b;
}

export function decodeRevision(b: Uint8Array): Revision {
  const view = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  return {
    main: view.readUInt32BE(0) * TWO_32 + view.readUInt32BE(4),
    sub: view.readUInt32BE(9) * TWO_32 + view.readUInt32BE(13),
  };
}

export function isTombstone(b: Uint8Array): boolean {
  return b.length === REVISION_BYTES + 1 && b[REVISION_BYTES] === TOMBSTONE;
}

export function compareRevisions(a: Revision, b: Revision): number {
  return a.main !== b.main ? a.main - b.main : a.sub - b.sub;
}

/** A revision as a map key; the same string for the same (main, sub). */
export function revisionId(rev: Revision): string {
  return `${rev.main}_${rev.sub}`;
}
