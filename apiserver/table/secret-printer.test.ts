import { describe, expect, it } from 'vitest';
import { secretPrinter } from './secret-printer.js';
import type { Printer } from './types.js';

const NOW = Date.parse('2024-05-05T12:00:00Z');
const columns = (p: Printer<never>) => p.columns.map((c) => [c.name, c.type, c.format, c.priority]);

describe('secretPrinter', () => {
  it('prints NAME TYPE DATA AGE', () => {
    expect(columns(secretPrinter)).toEqual([['Name', 'string', 'name', 0], ['Type', 'string', '', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]]);
    const tls = {
      metadata: { name: 'web-tls', namespace: 'default', creationTimestamp: '2024-05-05T11:53:00Z' },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': 'LS0t', 'tls.key': 'LS0t' },
    };
    expect(secretPrinter.cells(tls, NOW)).toEqual(['web-tls', 'kubernetes.io/tls', 2, '7m']);
    expect(secretPrinter.cells({ metadata: { name: 'db-password', creationTimestamp: '2024-05-05T11:53:00Z' }, data: { password: 'aHVudGVyMg==' } }, NOW)).toEqual([
      'db-password', 'Opaque', 1, '7m',
    ]);
  });
});
