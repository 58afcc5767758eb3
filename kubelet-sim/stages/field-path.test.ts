import { describe, expect, it } from 'vitest';
import { parseFieldPath, readField } from './field-path.js';

describe('readField', () => {
  it('follows the worked example', () => {
    expect(readField({ status: { conditions: [{ type: 'Ready', status: 'True' }] } }, '.status.conditions[type=Ready].status')).toBe('True');
    expect(readField({ metadata: {} }, '.metadata.deletionTimestamp')).toBeUndefined();
  });

  it('reads quoted keys, indexes, and treats null as missing', () => {
    const pod = { metadata: { annotations: { 'minik.dev/crash': 'true' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] }, status: { podIP: null } };
    expect(readField(pod, '.metadata.annotations["minik.dev/crash"]')).toBe('true');
    expect(readField(pod, '.spec.containers[1].name')).toBe('b');
    expect(readField(pod, '.spec.containers[2].name')).toBeUndefined();
    expect(readField(pod, '.status.podIP')).toBeUndefined();
    expect(readField(pod, '.spec.containers.name')).toBeUndefined();
  });

  it('rejects paths it cannot read, saying where', () => {
    expect(() => parseFieldPath('status.phase')).toThrow('must start with "." or "["');
    expect(() => parseFieldPath('.status..phase')).toThrow('not understood at offset 7: "..phase"');
    expect(() => parseFieldPath('.metadata.annotations[minik.dev/crash]')).toThrow('offset 21');
  });
});
