import { describe, expect, it } from 'vitest';
import { resolveResource } from '../api/resources.js';
import { checkApplyConfiguration } from './apply-configuration.js';
import { ApiError } from './errors.js';

const configmaps = resolveResource('configmaps')!;
const deployments = resolveResource('deployments')!;

function refusal(config: unknown, r = configmaps): string | undefined {
  try {
    checkApplyConfiguration(r, config);
    return undefined;
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(400);
    return (err as ApiError).message;
  }
}

describe('checkApplyConfiguration', () => {
  it('gives the examples of its doc comment', () => {
    expect(refusal([])).toBe('error decoding YAML: json: cannot unmarshal array into Go value of type map[string]interface {}');
    expect(refusal(null)).toBe('Incorrect version specified in apply patch. Specified patch version: , expected: v1');
  });

  it("refuses what is no map, another version, and managedFields; takes the endpoint's version", () => {
    expect(refusal('text')).toMatch(/cannot unmarshal string into/);
    expect(refusal(3)).toMatch(/cannot unmarshal number into/);
    expect(refusal(true)).toMatch(/cannot unmarshal bool into/);
    expect(refusal({ apiVersion: 'v1', kind: 'Deployment' }, deployments)).toBe('Incorrect version specified in apply patch. Specified patch version: v1, expected: apps/v1');
    expect(refusal({ apiVersion: 'v1', metadata: { name: 'x', managedFields: [] } })).toBe('metadata.managedFields must be nil');
    expect(refusal({ apiVersion: 'v1', metadata: { name: 'x' } })).toBeUndefined();
    expect(refusal({ apiVersion: 'apps/v1', kind: 'Deployment' }, deployments)).toBeUndefined();
  });
});
