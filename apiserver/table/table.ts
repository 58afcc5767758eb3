import type { ResourceType } from '../../api/resources.js';
import type { ObjectMeta } from '../../api/schemas/meta.js';
import { printerFor } from './printer-for.js';
import type { Table, TableColumnDefinition, TableRow } from './types.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** Milliseconds since the epoch; every AGE in the table is measured from it. */
  now: number;
  resourceVersion: string;
  /** What each row carries besides its cells; kubectl needs at least the metadata. */
  includeObject?: IncludeObject;
  continue?: string;
  remainingItemCount?: number;
}

/**
 * A list, or a watch event's one object, as the Table that `kubectl get` prints, one row per
 * object in the order given:
 *
 *   toTable(pods, [{ metadata: { name: 'web-1', namespace: 'default', creationTimestamp: '2024-05-01T12:00:00Z' },
 *       spec: { containers: [{ name: 'web' }], nodeName: 'node-1' },
 *       status: { phase: 'Running', podIP: '10.1.0.5', containerStatuses: [{ name: 'web', ready: true,
 *         restartCount: 0, image: 'nginx', imageID: '', state: { running: {} } }] } }],
 *     { now: Date.parse('2024-05-01T12:00:05Z'), resourceVersion: '107' })
 *   // { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '107' },
 *   //   columnDefinitions: [{ name: 'Name', type: 'string', format: 'name', ... }, ...],
 *   //   rows: [{ cells: ['web-1', '1/1', 'Running', '0', '5s', '10.1.0.5', 'node-1', '<none>', '<none>'],
 *   //            object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: { name: 'web-1', ... } } }] }
 */
export function toTable(resource: ResourceType, objects: unknown[], opts: TableOptions): Table {
  const printer = printerFor(resource);
  const metadata: Table['metadata'] = { resourceVersion: opts.resourceVersion };
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  const rows = objects.map((obj): TableRow => {
    const row: TableRow = { cells: printer.cells(obj, opts.now) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    const object = rowObject(obj, opts.includeObject ?? 'Metadata');
    if (object !== undefined) row.object = object;
    return row;
  });
  return { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata, columnDefinitions: tableColumns(resource), rows };
}

/** A kind's columns, for a watch to send with its one-row tables. */
export function tableColumns(resource: ResourceType): TableColumnDefinition[] {
  return printerFor(resource).columns.map((c) => ({ ...c }));
}

function rowObject(obj: unknown, include: IncludeObject): unknown {
  switch (include) {
    case 'None':
      return undefined;
    case 'Object':
      return obj;
    case 'Metadata':
      return {
        kind: 'PartialObjectMetadata',
        apiVersion: 'meta.k8s.io/v1',
        metadata: (obj as { metadata?: ObjectMeta } | null)?.metadata ?? {},
      };
  }
}
