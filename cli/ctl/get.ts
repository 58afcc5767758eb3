import { apiVersionOf, resourcePath, type ApiResource } from './discovery.js';
import { ApiError, CtlError, describeError, isNotFound, listFailure } from './errors.js';
import { alignToWidths, asTable, formatObjects, parseOutput, tableCells, withoutManagedFields, type Table } from './output.js';
import { renderCustomColumns } from './custom-columns.js';
import { sortByPath } from './sort-by.js';
import { parseResourceArgs, type ResourceRequest } from './resource-args.js';
import { TABLE_ACCEPT } from './rest.js';
import type { Session } from './session.js';

export interface GetOptions {
  output?: string;
  selector?: string;
  fieldSelector?: string;
  allNamespaces?: boolean;
  watch?: boolean;
  watchOnly?: boolean;
  showLabels?: boolean;
  /** `-L app,tier` (repeatable): a column of each label's value. */
  labelColumns?: string[];
  /** `--sort-by=.metadata.name`: rows and objects in the order of that field. */
  sortBy?: string;
  noHeaders?: boolean;
  /** Print metadata.managedFields too; kubectl leaves them out unless asked. */
  showManagedFields?: boolean;
  /** `--raw /healthz`: the body the server answers that path with, as it is. */
  raw?: string;
  /** A named object that is not there is no error. */
  ignoreNotFound?: boolean;
  /** Objects asked for at a time (`--chunk-size`); 0 for all at once. */
  chunkSize?: number;
}

type Obj = Record<string, unknown> & { metadata?: { name?: string; namespace?: string; resourceVersion?: string } };

/**
 * `minikctl get`: the server's Table for the human formats (so the columns are kube-apiserver's,
 * as kubectl shows them), the objects themselves for `-o yaml|json|name|jsonpath`. Answers the
 * exit code: 1 if any named object could not be read, after printing all the others.
 *
 *   minikctl get po,svc           NAME rows prefixed `pod/`, `service/`, one table per kind
 *   minikctl get deploy web -o jsonpath='{.spec.replicas}'
 *   minikctl get pods -w          the table, then one row per change until interrupted
 */
export async function runGet(s: Session, args: string[], o: GetOptions): Promise<number> {
  if (o.raw !== undefined) {
    if (args.length > 0) throw new CtlError('arguments may not be passed when --raw is specified');
    s.out(await s.rest.requestText('GET', o.raw));
    return 0;
  }
  const requests = parseResourceArgs(await s.resources(), args);
  const format = parseOutput(o.output);
  if ((o.watch || o.watchOnly) && (requests.length !== 1 || requests[0]!.names.length > 1)) {
    throw new CtlError('you may only specify a single resource type');
  }
  const withKind = requests.length > 1 || args[0]!.split(',').some((w) => w.toLowerCase() === 'all');
  const errors: string[] = [];
  const nsOf = (r: ApiResource) => (r.namespaced && !o.allNamespaces ? s.namespace : undefined);
  const query = { labelSelector: o.selector, fieldSelector: o.fieldSelector };
  let printed = 0;
  let watchFrom = '';
  let widths: number[] = [];

  if (format.kind === 'table') {
    const blocks: string[] = [];
    for (const req of requests) {
      const table = await fetchTable({
        s,
        req,
        ns: nsOf(req.resource),
        query: { ...query, ...(o.sortBy ? { includeObject: 'Object' } : {}) },
        errors,
        ignoreNotFound: o.ignoreNotFound,
        chunkSize: o.chunkSize ?? 500,
      });
      if (o.sortBy) table.rows = sortByPath(table.rows, o.sortBy, (row) => row.object);
      watchFrom = table.metadata?.resourceVersion ?? '';
      if (o.watchOnly) continue;
      if (table.rows.length === 0 && !o.watch) continue;
      const aligned = alignToWidths(
        tableCells(table, {
          wide: format.wide,
          withNamespace: Boolean(o.allNamespaces && req.resource.namespaced),
          ...(withKind ? { withKind: req.resource } : {}),
          showLabels: Boolean(o.showLabels),
          labelColumns: labelColumns(o),
          noHeaders: Boolean(o.noHeaders),
        }),
        [],
      );
      widths = aligned.widths;
      blocks.push(aligned.text);
      printed += table.rows.length;
    }
    s.out(blocks.join('\n'));
  } else {
    const objects: Obj[] = [];
    for (const req of requests) {
      const got = await fetchObjects({ s, req, ns: nsOf(req.resource), query, errors, ignoreNotFound: o.ignoreNotFound, chunkSize: o.chunkSize ?? 500 });
      watchFrom = got.resourceVersion;
      const sorted = o.sortBy ? sortByPath(got.objects, o.sortBy) : got.objects;
      if (!o.watchOnly) objects.push(...sorted.map((obj) => (o.showManagedFields ? obj : withoutManagedFields(obj))));
    }
    const single = requests.length === 1 && requests[0]!.names.length === 1;
    // An empty list still prints as a List in yaml and json (and is what a JSONPath reads), as kubectl prints it.
    const emptyList = !single && !o.watch && errors.length === 0 && (format.kind === 'yaml' || format.kind === 'json' || format.kind === 'jsonpath');
    const resourceOf = (obj: Obj) => requests.find((r) => apiVersionOf(r.resource) === obj.apiVersion && r.resource.kind === obj.kind)?.resource;
    // kubectl's custom-columns printer writes its header over an empty list too, and nothing else.
    const columns = format.kind === 'custom-columns';
    if (columns) s.out(renderCustomColumns(objects, format.columns, Boolean(o.noHeaders)));
    else if (objects.length > 0 || emptyList) s.out(formatObjects(objects, format, single, resourceOf));
    printed = emptyList || columns ? Math.max(1, objects.length) : objects.length;
  }

  for (const e of errors) s.err(`${e}\n`);
  // Only the tables say so: kubectl's other printers print an empty list as they print any.
  if (printed === 0 && format.kind === 'table' && errors.length === 0 && !o.watch && !o.watchOnly && requests.every((r) => r.names.length === 0)) {
    // kubectl's own words: a period only after the namespace.
    const scoped = requests.some((r) => r.resource.namespaced) && !o.allNamespaces;
    s.err(scoped ? `No resources found in ${s.namespace} namespace.\n` : 'No resources found\n');
  }
  if (o.watch || o.watchOnly) await watch(s, requests[0]!, nsOf(requests[0]!.resource), query, watchFrom, o, widths);
  return errors.length > 0 ? 1 : 0;
}

/**
 * A list read a chunk at a time, as kubectl reads it (`--chunk-size`, 500 unless told; 0 reads it
 * whole): `limit=N`, then the `continue` token the server answered with, until it answers none.
 */
async function* pages<T>(
  s: Session,
  path: string,
  opts: { accept?: string; query: Record<string, string | undefined> },
  r: ResourceRequest['resource'],
  chunkSize: number,
): AsyncGenerator<T> {
  let token: string | undefined;
  do {
    const query = { ...opts.query, ...(chunkSize > 0 ? { limit: String(chunkSize) } : {}), ...(token ? { continue: token } : {}) };
    const page = await s.rest.request<T>('GET', path, { ...opts, query }).catch((err: unknown) => {
      throw listFailure(err, r, opts.query.labelSelector, opts.query.fieldSelector);
    });
    yield page;
    token = (page as { metadata?: { continue?: string } }).metadata?.continue || undefined;
  } while (token);
}

/** The labels of `-L`, each flag a comma-separated list. */
function labelColumns(o: GetOptions): string[] {
  return (o.labelColumns ?? []).flatMap((l) => l.split(',')).filter((l) => l !== '');
}

/** One resource request of a get: where it reads, what it asks, where its errors go. */
interface Fetch {
  s: Session;
  req: ResourceRequest;
  ns: string | undefined;
  query: Record<string, string | undefined>;
  errors: string[];
  ignoreNotFound: boolean | undefined;
  chunkSize: number;
}

async function fetchTable({ s, req, ns, query, errors, ignoreNotFound, chunkSize }: Fetch): Promise<Table> {
  if (req.names.length === 0) {
    let table: Table | undefined;
    for await (const page of pages<unknown>(s, resourcePath(req.resource, ns), { accept: TABLE_ACCEPT, query }, req.resource, chunkSize)) {
      const t = asTable(page, s.now());
      if (table) table.rows.push(...t.rows);
      else table = t;
    }
    return table!;
  }
  let merged: Table | undefined;
  for (const name of req.names) {
    try {
      const one = query.includeObject ? { includeObject: query.includeObject } : {};
      const t = asTable(await s.rest.request<unknown>('GET', resourcePath(req.resource, ns, name), { accept: TABLE_ACCEPT, query: one }), s.now());
      if (merged) merged.rows.push(...t.rows);
      else merged = t;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (!(ignoreNotFound && isNotFound(err))) errors.push(describeError(err));
    }
  }
  return merged ?? { columnDefinitions: [], rows: [] };
}

async function fetchObjects({ s, req, ns, query, errors, ignoreNotFound, chunkSize }: Fetch): Promise<{ objects: Obj[]; resourceVersion: string }> {
  const typed = (o: Obj): Obj => ({ apiVersion: apiVersionOf(req.resource), kind: req.resource.kind, ...o });
  if (req.names.length === 0) {
    const objects: Obj[] = [];
    let resourceVersion = '';
    for await (const list of pages<{ items?: Obj[]; metadata?: { resourceVersion?: string } }>(s, resourcePath(req.resource, ns), { query }, req.resource, chunkSize)) {
      objects.push(...(list.items ?? []).map(typed));
      resourceVersion ||= list.metadata?.resourceVersion ?? '';
    }
    return { objects, resourceVersion };
  }
  const objects: Obj[] = [];
  for (const name of req.names) {
    try {
      objects.push(typed(await s.rest.request<Obj>('GET', resourcePath(req.resource, ns, name))));
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (!(ignoreNotFound && isNotFound(err))) errors.push(describeError(err));
    }
  }
  return { objects, resourceVersion: objects[0]?.metadata?.resourceVersion ?? '' };
}

/** Follows changes until the process is interrupted; a stream the server ends is reopened. */
async function watch(
  s: Session,
  req: ResourceRequest,
  ns: string | undefined,
  query: Record<string, string | undefined>,
  from: string,
  o: GetOptions,
  widths: number[],
): Promise<void> {
  const format = parseOutput(o.output);
  const fieldSelector = [query.fieldSelector, req.names[0] ? `metadata.name=${req.names[0]}` : undefined].filter(Boolean).join(',');
  let rv = from;
  for (;;) {
    const stream = s.rest.stream(
      resourcePath(req.resource, ns),
      { accept: format.kind === 'table' ? TABLE_ACCEPT : 'application/json', query: { watch: 'true', resourceVersion: rv, labelSelector: query.labelSelector, fieldSelector } },
      (line) => {
        const e = line as { type: string; object: Obj & Partial<Table> };
        if (e.type === 'ERROR') throw new ApiError(e.object as never);
        if (e.type === 'BOOKMARK') return;
        if (format.kind === 'table') {
          const table = e.object as unknown as Table;
          const obj = table.rows[0]?.object as Obj | undefined;
          rv = obj?.metadata?.resourceVersion ?? table.metadata?.resourceVersion ?? rv;
          const rows = tableCells(table, {
            wide: format.wide,
            withNamespace: Boolean(o.allNamespaces && req.resource.namespaced),
            showLabels: Boolean(o.showLabels),
            labelColumns: labelColumns(o),
            noHeaders: true,
          });
          const aligned = alignToWidths(rows, widths);
          widths = aligned.widths;
          s.out(aligned.text);
        } else {
          rv = e.object.metadata?.resourceVersion ?? rv;
          const obj = { apiVersion: apiVersionOf(req.resource), kind: req.resource.kind, ...e.object };
          s.out(formatObjects([o.showManagedFields ? obj : withoutManagedFields(obj)], format, true, () => req.resource));
        }
      },
    );
    await stream.done;
  }
}
