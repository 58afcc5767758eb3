import { describe, expect, it } from 'vitest';
import { ApiError, connectionError, CtlError, describeError } from './errors.js';

describe('describeError', () => {
  it("prints the server's Status as kubectl does", () => {
    expect(describeError(new ApiError({ kind: 'Status', code: 404, reason: 'NotFound', message: 'pods "x" not found' }))).toBe('Error from server (NotFound): pods "x" not found');
    expect(describeError(ApiError.fromAnswer(500, 'boom'))).toBe('Error from server (InternalError): boom');
    // An Invalid with no details is, in kubectl's words, a request that is invalid, and the server's message.
    expect(describeError(ApiError.fromAnswer(422, JSON.stringify({ kind: 'Status', code: 422, reason: 'Invalid', message: 'the patched object is not an object' })))).toBe(
      'The request is invalid: the patched object is not an object',
    );
  });

  it("words an Invalid Status from its details, as kubectl's checkErr does, on one line", () => {
    const status = (causes: Array<{ field: string; message: string }>) =>
      new ApiError({ kind: 'Status', code: 422, reason: 'Invalid', message: 'ConfigMap "web" is invalid: ...', details: { name: 'web', kind: 'ConfigMap', causes } });
    expect(describeError(status([{ field: 'metadata.labels', message: 'Invalid value: "Bad!": name part must ...' }]))).toBe(
      'The ConfigMap "web" is invalid: metadata.labels: Invalid value: "Bad!": name part must ...',
    );
    const two = status([
      { field: 'spec.replicas', message: 'Invalid value: -1' },
      { field: 'data', message: 'Too long' },
      { field: 'data', message: 'Too long' },
    ]);
    expect(describeError(two)).toBe('The ConfigMap "web" is invalid: [spec.replicas: Invalid value: -1, data: Too long]');
  });

  it('prints client errors with the error: prefix, on one line', () => {
    expect(describeError(new CtlError('the server doesn\'t have a resource type "foo"'))).toBe('error: the server doesn\'t have a resource type "foo"');
    expect(describeError(new Error('two\nlines'))).toBe('error: two lines');
  });
});

describe('connectionError', () => {
  it('names the host and port that refused', () => {
    expect(describeError(connectionError('http://127.0.0.1:6443', { code: 'ECONNREFUSED' }))).toBe(
      'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
    );
    expect(describeError(connectionError('http://localhost', { code: 'ECONNREFUSED' }))).toContain('localhost:80 was refused');
    expect(describeError(connectionError('http://nowhere.invalid:6443', { code: 'ENOTFOUND' }))).toBe('Unable to connect to the server: dial tcp: lookup nowhere.invalid: no such host');
  });
});
