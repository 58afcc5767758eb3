import { describe, expect, it } from 'vitest';
import { defaultPrinter } from './default-printer.js';
import type { Printer } from './types.js';

const NOW = Date.parse('2024-05-05T12:00:00Z');
const columns = (p: Printer<never>) => p.columns.map((c) => [c.name, c.type, c.format, c.priority]);

describe('defaultPrinter', () => {
  it('prints NAME and CREATED AT as a date, for kinds without a printer', () => {
    expect(columns(defaultPrinter)).toEqual([['Name', 'string', 'name', 0], ['Created At', 'date', '', 0]]);
    expect(defaultPrinter.cells({ metadata: { name: 'web-6f7c', creationTimestamp: '2024-05-01T12:00:00.250Z' } }, NOW)).toEqual(['web-6f7c', '2024-05-01T12:00:00Z']);
    expect(defaultPrinter.cells({ metadata: { name: 'x' } }, NOW)).toEqual(['x', '0001-01-01T00:00:00Z']);
  });
});
