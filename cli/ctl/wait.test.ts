import { describe, expect, it } from 'vitest';
import { parseWaitFor, waitMet } from './wait.js';

describe('kubectl wait --for', () => {
  it('reads the examples of its doc comment, and the rest of what kubectl takes', () => {
    expect(parseWaitFor('condition=Available')).toEqual({ kind: 'condition', name: 'Available', value: 'true' });
    expect(parseWaitFor('jsonpath={.status.phase}=Running')).toEqual({ kind: 'jsonpath', template: '{.status.phase}', value: 'Running' });
    expect(parseWaitFor('condition=Ready=False')).toEqual({ kind: 'condition', name: 'Ready', value: 'False' });
    expect(parseWaitFor('jsonpath=.status.phase')).toEqual({ kind: 'jsonpath', template: '{.status.phase}', value: undefined });
    expect(parseWaitFor('jsonpath=.status.phase=Running')).toEqual({ kind: 'jsonpath', template: '{.status.phase}', value: 'Running' });
    expect(parseWaitFor('delete')).toEqual({ kind: 'delete' });
    expect(() => parseWaitFor('bogus')).toThrow('unrecognized condition: "bogus"');
    expect(() => parseWaitFor('')).toThrow('unrecognized condition: ""');
  });

  it('holds for a condition of that status, once the controller has seen the latest generation', () => {
    const deploy = (status: string, observedGeneration?: number) => ({
      metadata: { generation: 2 },
      status: { conditions: [{ type: 'Available', status, ...(observedGeneration ? { observedGeneration } : {}) }] },
    });
    const available = parseWaitFor('condition=available');
    expect(waitMet(available, deploy('True'))).toBe(true);
    expect(waitMet(available, deploy('False'))).toBe(false);
    expect(waitMet(available, deploy('True', 1))).toBe(false);
    expect(waitMet(available, deploy('True', 2))).toBe(true);
    expect(waitMet(available, undefined)).toBe(false);
  });

  it('holds for a JSONPath value, or its presence; for a delete, once the object is gone', () => {
    const pod = { status: { phase: 'Running', podIP: '10.244.1.5' } };
    expect(waitMet(parseWaitFor('jsonpath={.status.phase}=Running'), pod)).toBe(true);
    expect(waitMet(parseWaitFor('jsonpath={.status.phase}=Pending'), pod)).toBe(false);
    expect(waitMet(parseWaitFor('jsonpath={.status.podIP}'), pod)).toBe(true);
    expect(waitMet(parseWaitFor('jsonpath={.status.hostIP}'), pod)).toBe(false);
    expect(waitMet(parseWaitFor('delete'), pod)).toBe(false);
    expect(waitMet(parseWaitFor('delete'), undefined)).toBe(true);
    expect(waitMet(parseWaitFor('create'), pod)).toBe(true);
  });
});
