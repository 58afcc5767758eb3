import { describe, expect, it } from 'vitest';
import { leasePrinter } from './lease-printer.js';
import type { Printer } from './types.js';

const NOW = Date.parse('2024-05-05T12:00:00Z');
const columns = (p: Printer<never>) => p.columns.map((c) => [c.name, c.type, c.format, c.priority]);

describe('leasePrinter', () => {
  it('prints NAME HOLDER AGE, HOLDER empty when nobody holds it', () => {
    expect(columns(leasePrinter)).toEqual([['Name', 'string', 'name', 0], ['Holder', 'string', '', 0], ['Age', 'string', '', 0]]);
    const nodeLease = {
      metadata: { name: 'node-1', namespace: 'kube-node-lease', creationTimestamp: '2024-05-02T12:00:00Z' },
      spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-05-05T11:59:58.000000Z' },
    };
    expect(leasePrinter.cells(nodeLease, NOW)).toEqual(['node-1', 'node-1', '3d']);
    expect(leasePrinter.cells({ metadata: { name: 'kube-scheduler', creationTimestamp: '2024-05-05T11:59:00Z' }, spec: {} }, NOW)).toEqual([
      'kube-scheduler', '', '60s',
    ]);
  });
});
