import { describe, expect, it } from 'vitest';
import { RESOURCES } from '../../api/resources.js';
import { printerFor } from './printer-for.js';

describe('printerFor', () => {
  it('renders the doc example', () => {
    expect(printerFor({ group: 'apps', kind: 'Deployment' }).columns.map((c) => c.name)).toEqual([
      'Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector',
    ]);
  });

  it('has a printer of its own for every kind minik serves', () => {
    for (const r of RESOURCES) {
      expect(printerFor(r).columns.map((c) => c.name), r.kind).not.toContain('Created At');
    }
  });

  it('falls back to NAME and CREATED AT for a kind it does not know, or one of another group', () => {
    expect(printerFor({ group: 'batch', kind: 'Job' }).columns.map((c) => c.name)).toEqual(['Name', 'Created At']);
    expect(printerFor({ group: 'events.k8s.io', kind: 'Event' }).columns.map((c) => c.name)).toEqual(['Name', 'Created At']);
    expect(printerFor({ group: '', kind: 'constructor' }).columns.map((c) => c.name)).toEqual(['Name', 'Created At']);
  });
});
