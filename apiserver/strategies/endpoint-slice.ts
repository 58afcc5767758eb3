import { isIPv4 } from 'node:net';
import type { EndpointSlice } from '../../api/schemas/discovery.js';
import { validateDns1123Label } from '../../api/names.js';
import { fieldError } from '../errors.js';
import type { Strategy } from '../strategy.js';
import { immutable, validateMeta } from './_util.js';

/** EndpointSlice defaults and rules, as Kubernetes' discovery validation has them. */

const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 20_000;

export const endpointSliceStrategy: Strategy = {
  hasSpec: false,
  keepStatusOnCreate: true,
  default(obj) {
    // Readers (kubectl describe service among them) take every port to have a name and a protocol.
    for (const p of (obj as EndpointSlice).ports ?? []) {
      p.name ??= '';
      p.protocol ??= 'TCP';
    }
  },
  validate(obj, old) {
    const slice = obj as EndpointSlice;
    const out = validateMeta(obj);
    const endpoints = slice.endpoints ?? [];
    if (endpoints.length > MAX_ENDPOINTS) out.push(fieldError.tooMany('endpoints', endpoints.length, MAX_ENDPOINTS));
    endpoints.forEach((e, i) => {
      const path = `endpoints[${i}]`;
      const addresses = e.addresses ?? [];
      if (addresses.length === 0) out.push(fieldError.required(`${path}.addresses`, 'must contain at least 1 address'));
      else if (addresses.length > MAX_ADDRESSES) out.push(fieldError.tooMany(`${path}.addresses`, addresses.length, MAX_ADDRESSES));
      if (slice.addressType === 'IPv4') {
        addresses.forEach((a, j) => {
          if (!isIPv4(a)) out.push(fieldError.invalid(`${path}.addresses[${j}]`, a, 'must be a valid IPv4 address'));
        });
      }
      if (e.hostname !== undefined) out.push(...validateDns1123Label(e.hostname).map((m) => fieldError.invalid(`${path}.hostname`, e.hostname, m)));
    });
    const ports = slice.ports ?? [];
    if (ports.length > MAX_PORTS) out.push(fieldError.tooMany('ports', ports.length, MAX_PORTS));
    const names = new Set<string>();
    ports.forEach((p, i) => {
      const name = p.name ?? '';
      if (name !== '') out.push(...validateDns1123Label(name).map((m) => fieldError.invalid(`ports[${i}].name`, name, m)));
      if (names.has(name)) out.push(fieldError.duplicate(`ports[${i}].name`, name));
      names.add(name);
    });
    if (old) out.push(...immutable(slice.addressType, (old as EndpointSlice).addressType, 'addressType'));
    return out;
  },
};
