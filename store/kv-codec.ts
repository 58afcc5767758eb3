import type { KeyValue } from './types.js';

/**
 * One stored record:
 *   u32 key length | key | f64 create_revision | f64 mod_revision | f64 version | f64 lease | value
 * A tombstone is the same record with only the key set, as etcd stores it.
 */
const FIXED = 4 + 8 * 4;

export function encodeKeyValue(kv: KeyValue): Buffer {
  const b = Buffer.allocUnsafe(FIXED + kv.key.length + kv.value.length);
  b.writeUInt32BE(kv.key.length, 0);
  kv.key.copy(b, 4);
  let at = 4 + kv.key.length;
  at = b.writeDoubleBE(kv.createRevision, at);
  at = b.writeDoubleBE(kv.modRevision, at);
  at = b.writeDoubleBE(kv.version, at);
  at = b.writeDoubleBE(kv.lease, at);
  kv.value.copy(b, at);
  return b;
}

export function decodeKeyValue(b: Buffer): KeyValue {
  const keyLen = b.readUInt32BE(0);
  let at = 4 + keyLen;
  const kv: KeyValue = {
    key: b.subarray(4, at),
    createRevision: b.readDoubleBE(at),
    modRevision: b.readDoubleBE(at + 8),
    version: b.readDoubleBE(at + 16),
    lease: b.readDoubleBE(at + 24),
    value: b.subarray(at + 32),
  };
  at += 32;
  return kv;
}
