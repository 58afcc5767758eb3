import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.js';

const at = () => new Date(2026, 10, 22, 7, 43, 29, 871);
const logAt = (level: number) => {
  const lines: string[] = [];
  return { log: new RequestLog(level, (l) => lines.push(l), at), lines };
};

describe('what -v prints of each request', () => {
  it('at 6, a request in one klog line, as its doc comment shows', () => {
    const { log, lines } = logAt(6);
    log.sent('GET', 'http://127.0.0.1:6443/api/v1/namespaces/default/pods', { Accept: 'application/json' }, undefined);
    log.answered('GET', 'http://127.0.0.1:6443/api/v1/namespaces/default/pods', 200, 'OK', 1, { 'content-type': 'application/json' }, '{}');
    expect(lines).toEqual([`I1122 07:43:29.871000 ${String(process.pid).padStart(7)} rest.ts] GET http://127.0.0.1:6443/api/v1/namespaces/default/pods 200 OK in 1 milliseconds\n`]);
  });

  it('at 8, headers and bodies too, a long body cut at 1,024 characters', () => {
    const { log, lines } = logAt(8);
    log.sent('POST', 'http://h/api/v1/namespaces/default/configmaps', { 'Content-Type': 'application/json' }, '{"a":1}');
    log.answered('POST', 'http://h/api/v1/namespaces/default/configmaps', 201, 'Created', 3, { 'content-length': '2000' }, 'x'.repeat(2000));
    const text = lines.map((l) => l.replace(/^I\S+ \S+ +\d+ rest\.ts\] /, '')).join('');
    expect(text).toBe(
      [
        '"Request Body" body="{\\"a\\":1}"',
        'POST http://h/api/v1/namespaces/default/configmaps',
        'Request Headers:',
        '    Content-Type: application/json',
        'Response Status: 201 Created in 3 milliseconds',
        'Response Headers:',
        '    content-length: 2000',
        `"Response Body" body="${'x'.repeat(1024)} [truncated 976 chars]"`,
        '',
      ].join('\n'),
    );
  });

  it('at 0, nothing', () => {
    const { log, lines } = logAt(0);
    log.answered('GET', 'http://h/', 200, 'OK', 1, {});
    expect(lines).toEqual([]);
  });
});
