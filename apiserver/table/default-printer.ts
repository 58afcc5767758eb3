import type { ObjectMeta } from '../../api/schemas/meta.js';
import { column, nameColumn } from './column.js';
import type { Printer } from './types.js';

/**
 * NAME CREATED AT, for a kind with no printer of its own, as kube-apiserver prints such kinds:
 * the creation time is an RFC 3339 date, which kubectl turns into an age itself.
 *
 *   ['web-6f7c', '2024-05-01T12:00:00Z']
 */
export const defaultPrinter: Printer<{ metadata?: ObjectMeta }> = {
  columns: [nameColumn, column('Created At', 'When the object was created (RFC 3339).', { type: 'date' })],
  cells: (obj) => [obj.metadata?.name ?? '', createdAt(obj.metadata?.creationTimestamp)],
};

/** Whole seconds in UTC; the zero time when there is none, as an unset timestamp serialises. */
function createdAt(timestamp: string | undefined): string {
  const at = timestamp ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(at)) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(at / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
