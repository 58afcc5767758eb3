import { describe, expect, it } from 'vitest';
import { configMapPrinter } from './config-map-printer.js';
import type { Printer } from './types.js';

const NOW = Date.parse('2024-05-05T12:00:00Z');
const columns = (p: Printer<never>) => p.columns.map((c) => [c.name, c.type, c.format, c.priority]);

describe('configMapPrinter', () => {
  it('prints NAME DATA AGE, counting text and binary keys', () => {
    expect(columns(configMapPrinter)).toEqual([['Name', 'string', 'name', 0], ['Data', 'string', '', 0], ['Age', 'string', '', 0]]);
    const cm = {
      metadata: { name: 'settings', namespace: 'default', creationTimestamp: '2024-05-05T11:00:00Z' },
      data: { 'app.properties': 'color=blue\n', mode: 'fast' },
      binaryData: { 'logo.png': 'iVBORw0KGgo=' },
    };
    expect(configMapPrinter.cells(cm, NOW)).toEqual(['settings', 3, '60m']);
    expect(configMapPrinter.cells({ metadata: { name: 'empty', creationTimestamp: '2024-05-05T11:00:00Z' } }, NOW)).toEqual(['empty', 0, '60m']);
  });
});
