import { CtlError } from './errors.js';
import { evaluateRelaxed, relaxedJsonPath } from './jsonpath.js';
import { alignTabs } from './tabwriter.js';

export interface CustomColumn {
  header: string;
  /** The column's JSONPath, braced: `{.metadata.name}`. */
  template: string;
}

/**
 * `-o custom-columns=HEADER:PATH,...` as kubectl reads it: each path a JSONPath with or without
 * its braces and leading dot (`metadata.name`, `.metadata.name`, `{.metadata.name}`).
 *
 *   parseCustomColumns('NAME:.metadata.name,NODE:spec.nodeName')
 *     // [{ header: 'NAME', template: '{.metadata.name}' }, { header: 'NODE', template: '{.spec.nodeName}' }]
 */
export function parseCustomColumns(spec: string): CustomColumn[] {
  if (spec.length === 0) throw new CtlError('custom-columns format specified but no custom columns given');
  return spec.split(',').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) throw new CtlError(`unexpected custom-columns spec: ${part}, expected <header>:<json-path-expr>`);
    return { header: part.slice(0, colon), template: relaxedJsonPath(part.slice(colon + 1)) };
  });
}

/**
 * The table kubectl's custom-columns printer writes: a header row unless `noHeaders`, then a row
 * an object, each cell the path's values joined by commas (Go's %v for each), `<none>` when it
 * reaches nothing; aligned as Go's tabwriter with kubectl's settings (cells at least 6 wide, 3
 * spaces of padding).
 */
export function renderCustomColumns(objects: readonly unknown[], columns: readonly CustomColumn[], noHeaders = false): string {
  const lines = objects.map((o) => columns.map((c) => cell(evaluateRelaxed(c.template, o))));
  if (!noHeaders) lines.unshift(columns.map((c) => c.header));
  if (lines.length === 0) return '';
  return `${alignTabs(lines.map((cells) => cells.join('\t')).join('\n'), 3, 6)}\n`;
}

function cell(values: unknown[]): string {
  return values.length === 0 ? '<none>' : values.map(goValue).join(',');
}

/** Go's %v of a JSON value: maps as map[k:v] with sorted keys, lists as [a b], nil as <nil>. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `map[${Object.keys(o).sort().map((k) => `${k}:${goValue(o[k])}`).join(' ')}]`;
  }
  return String(v);
}
