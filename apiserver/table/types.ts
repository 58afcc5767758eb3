/**
 * The meta.k8s.io/v1 Table that `kubectl get` asks for, and the shape of one kind's printer.
 * A cell is a string, or an integer where kube-apiserver prints one (Restarts is a string:
 * "3 (5s ago)"; a Deployment's Up-to-date is an integer even though its column says "string").
 */

export type Cell = string | number | boolean;

export interface TableColumnDefinition {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** "name" marks the column that holds the object's name; empty otherwise. */
  format: string;
  description: string;
  /** 0: always shown; 1: shown only with `-o wide`. */
  priority: number;
}

/** A row's extra state; kubectl reads `Completed` to tell finished pods apart. */
export interface TableRowCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  /** PartialObjectMetadata, the whole object, or absent, as `includeObject` asks. */
  object?: unknown;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** How one kind prints: its columns, and for an object one cell per column. */
export interface Printer<T> {
  columns: TableColumnDefinition[];
  cells(obj: T, now: number): Cell[];
  conditions?(obj: T): TableRowCondition[] | undefined;
}
