import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Container } from '../../api/schemas/pod.js';
import { isExtendedResourceName, isOvercommitAllowed, validateResources } from './resources.js';

const P = 'spec.containers[0].resources';
const errors = (resources: Container['resources']) =>
  validateResources({ name: 'c', image: 'i', resources }, P).map((e) => `${e.field}: ${e.message}`);

describe('validateResources', () => {
  it('gives the example of its doc comment', () => {
    expect(errors({ requests: { gpu: '1' } })).toEqual([
      `${P}.requests[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`,
      `${P}.requests[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
    ]);
  });

  it('takes the standard container resources, huge pages and extended resources', () => {
    expect(errors({ requests: { cpu: '100m', memory: '64Mi', 'ephemeral-storage': '1Gi' }, limits: { cpu: '1', 'hugepages-2Mi': '4Mi', 'example.com/gpu': '2' } })).toEqual([]);
  });

  it('refuses names that are not qualified, and standard names that are not for containers', () => {
    expect(errors({ limits: { pods: '1' } })).toEqual([`${P}.limits[pods]: Invalid value: "pods": must be a standard resource for containers`]);
    const proto = JSON.parse('{"__proto__":"1"}') as Record<string, string>;
    expect(errors({ requests: proto })[0]).toMatch(/^spec\.containers\[0\]\.resources\.requests\[__proto__\]: Invalid value: "__proto__": name part must consist of/);
    expect(errors({ requests: { 'example.com/a/b': '1' } })[0]).toMatch(/Invalid value: "example.com\/a\/b": a qualified name must consist of/);
  });

  it('holds a request to its limit, and an extended resource to exactly its limit, in whole units', () => {
    expect(errors({ requests: { cpu: '1' }, limits: { cpu: '500m' } })).toEqual([`${P}.requests: Invalid value: "1": must be less than or equal to cpu limit of 500m`]);
    expect(errors({ requests: { 'example.com/gpu': '1' }, limits: { 'example.com/gpu': '2' } })).toEqual([
      `${P}.requests: Invalid value: "1": must be equal to example.com/gpu limit of 2`,
    ]);
    expect(errors({ requests: { 'example.com/gpu': '1' } })).toEqual([`${P}.limits: Required value: Limit must be set for non overcommitable resources`]);
    expect(errors({ limits: { 'example.com/gpu': '500m' } })).toEqual([`${P}.limits[example.com/gpu]: Invalid value: 500m: must be an integer`]);
    expect(errors({ requests: { memory: '-1Mi' } })).toEqual([`${P}.requests[memory]: Invalid value: -1Mi: must be greater than or equal to 0`]);
  });

  it('reads only the limits a container has: a request named like an inherited member has none', () => {
    expect(errors({ requests: { constructor: '1', toString: '2' } as Record<string, string> })).toEqual([
      `${P}.requests[constructor]: Invalid value: "constructor": must be a standard resource type or fully qualified`,
      `${P}.requests[constructor]: Invalid value: "constructor": must be a standard resource for containers`,
      `${P}.requests[toString]: Invalid value: "toString": must be a standard resource type or fully qualified`,
      `${P}.requests[toString]: Invalid value: "toString": must be a standard resource for containers`,
    ]);
  });

  const names = fc.oneof(
    fc.constantFrom('cpu', 'memory', 'hugepages-1Gi', 'example.com/gpu', 'kubernetes.io/x', 'pods', '__proto__', 'constructor', 'toString', 'requests.cpu'),
    fc.string({ maxLength: 12 }),
  );
  const quantities = fc.oneof(fc.constantFrom('1', '500m', '-1', '1.5', '2Gi', '1e3', 'abc', ''), fc.string({ maxLength: 6 }));
  const lists = fc.array(fc.tuple(names, quantities), { maxLength: 4 }).map((entries) => {
    const out: Record<string, string> = {};
    for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });

  test.prop([lists, lists])('answers any requests and limits with field errors under its path, never by throwing', (requests, limits) => {
    for (const e of validateResources({ name: 'c', image: 'i', resources: { requests, limits } }, P)) {
      expect(e.field.startsWith(P)).toBe(true);
      expect(e.message).not.toBe('');
    }
  });
});

describe('resource kinds', () => {
  it('tells extended resources, which may not be overcommitted, from native ones', () => {
    expect(isExtendedResourceName('example.com/gpu')).toBe(true);
    expect(isExtendedResourceName('kubernetes.io/gpu')).toBe(false);
    expect(isExtendedResourceName('cpu')).toBe(false);
    expect(isExtendedResourceName('requests.example.com/gpu')).toBe(false);
    expect(isOvercommitAllowed('cpu')).toBe(true);
    expect(isOvercommitAllowed('hugepages-2Mi')).toBe(false);
    expect(isOvercommitAllowed('example.com/gpu')).toBe(false);
  });
});
