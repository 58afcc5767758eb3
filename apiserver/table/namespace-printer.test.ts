import { describe, expect, it } from 'vitest';
import { namespacePrinter } from './namespace-printer.js';
import type { Printer } from './types.js';

const NOW = Date.parse('2024-05-05T12:00:00Z');
const columns = (p: Printer<never>) => p.columns.map((c) => [c.name, c.type, c.format, c.priority]);

describe('namespacePrinter', () => {
  it('prints NAME STATUS AGE', () => {
    expect(columns(namespacePrinter)).toEqual([['Name', 'string', 'name', 0], ['Status', 'string', '', 0], ['Age', 'string', '', 0]]);
    const ns = { metadata: { name: 'default', creationTimestamp: '2024-05-01T12:00:00Z' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' as const } };
    expect(namespacePrinter.cells(ns, NOW)).toEqual(['default', 'Active', '4d']);
    const going = { metadata: { name: 'old', creationTimestamp: '2024-05-05T11:00:00Z', deletionTimestamp: '2024-05-05T11:59:00Z' }, status: { phase: 'Terminating' as const } };
    expect(namespacePrinter.cells(going, NOW)).toEqual(['old', 'Terminating', '60m']);
  });
});
