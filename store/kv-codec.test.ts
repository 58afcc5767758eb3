import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { decodeKeyValue, encodeKeyValue } from './kv-codec.js';

const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));

test.prop([
  fc.record({
    key: bytes,
    value: bytes,
    createRevision: fc.maxSafeNat(),
    modRevision: fc.maxSafeNat(),
    version: fc.maxSafeNat(),
    lease: fc.maxSafeNat(),
  }),
])('a stored record decodes to what was encoded', (kv) => {
  expect(decodeKeyValue(encodeKeyValue(kv))).toEqual(kv);
});
