import { CtlError } from './errors.js';
import { sortKeys } from './output.js';

/**
 * kubectl's JSONPath templates (`-o jsonpath=...`), the subset people type: fields, `[n]`,
 * `[a:b]`, `[*]`, `..name`, `['key.with.dots']`, filters `[?(@.type=="Ready")]`, `{range}...{end}`
 * and string literals. As in kubectl, a missing key prints nothing, several results of one
 * expression are joined by spaces, and maps and lists print as JSON.
 *
 *   const pods = { items: [{ metadata: { name: 'a' } }, { metadata: { name: 'b' } }] };
 *   renderJsonPath('{.items[*].metadata.name}', pods)                          // 'a b'
 *   renderJsonPath('{range .items[*]}{.metadata.name}{"\n"}{end}', pods)       // 'a\nb\n'
 *   renderJsonPath('{.items[0].metadata}', pods)                               // '{"name":"a"}' (keys in order, as Go writes a map)
 */
export function renderJsonPath(template: string, data: unknown): string {
  return render(parseTemplate(template), data, data);
}

/**
 * kubectl's RelaxedJSONPathExpression: a field path as custom-columns and `--sort-by` take it,
 * with or without its braces and leading dot, as the template `{.a.b}`.
 *
 *   relaxedJsonPath('metadata.name')   // '{.metadata.name}'
 */
export function relaxedJsonPath(path: string): string {
  const m = /^\{\.?([^{}]+)\}$|^\.?([^{}]+)$/.exec(path);
  if (!m) throw new CtlError("unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'");
  return `{.${m[1] ?? m[2]}}`;
}

/** Every value the one path of `template` (`{.spec.containers[*].name}`) reaches in `data`. */
export function evaluateRelaxed(template: string, data: unknown): unknown[] {
  const nodes = parseTemplate(template);
  const path = nodes.length === 1 && nodes[0]!.kind === 'path' ? nodes[0]!.path : undefined;
  if (!path) throw new CtlError(`unexpected path string: ${template}`);
  return evaluatePath(path, data);
}

type Segment =
  | { kind: 'field'; name: string }
  | { kind: 'recursive'; name: string }
  | { kind: 'wildcard' }
  | { kind: 'index'; index: number }
  | { kind: 'slice'; start?: number; end?: number }
  | { kind: 'filter'; path: Segment[]; op?: '==' | '!=' | '<' | '>' | '<=' | '>='; value?: string | number | boolean };

type Node = { kind: 'text'; text: string } | { kind: 'path'; path: Segment[] } | { kind: 'range'; path: Segment[]; body: Node[] };

export function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const ranges: Array<{ kind: 'range'; path: Segment[]; body: Node[] }> = [];
  let i = 0;
  let text = '';
  const flush = () => {
    if (text) stack[stack.length - 1]!.push({ kind: 'text', text });
    text = '';
  };
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '{') {
      text += c;
      i++;
      continue;
    }
    flush();
    const close = findClose(template, i);
    const action = template.slice(i + 1, close).trim();
    i = close + 1;
    const top = stack[stack.length - 1]!;
    if (action === 'end') {
      if (ranges.length === 0) throw bad(template, 'not in range, nothing to end');
      ranges.pop();
      stack.pop();
    } else if (/^range(?=[\s.[$@])/.test(action)) {
      const node = { kind: 'range' as const, path: parsePath(action.slice(5).trim(), template), body: [] as Node[] };
      top.push(node);
      ranges.push(node);
      stack.push(node.body);
    } else if (action.startsWith('"') || action.startsWith("'")) {
      top.push({ kind: 'text', text: parseString(action, template) });
    } else if (action !== '') {
      top.push({ kind: 'path', path: parsePath(action, template) });
    }
  }
  flush();
  if (ranges.length > 0) throw bad(template, 'unclosed range');
  return root;
}

function findClose(template: string, open: number): number {
  let quote: string | undefined;
  for (let j = open + 1; j < template.length; j++) {
    const c = template[j]!;
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return j;
  }
  throw bad(template, 'unclosed action');
}

function parseString(s: string, template: string): string {
  const q = s[0]!;
  if (s.length < 2 || s[s.length - 1] !== q) throw bad(template, `unterminated string ${s}`);
  const body = s.slice(1, -1);
  return body.replace(/\\(.)/g, (_, e: string) => ({ n: '\n', t: '\t', r: '\r' })[e] ?? e);
}

function parsePath(src: string, template: string): Segment[] {
  const out: Segment[] = [];
  let i = src.startsWith('$') || src.startsWith('@') ? 1 : 0;
  const name = () => {
    let n = '';
    while (i < src.length && src[i] !== '.' && src[i] !== '[') {
      if (src[i] === '\\' && i + 1 < src.length) i++;
      n += src[i++];
    }
    return n;
  };
  while (i < src.length) {
    if (src.startsWith('..', i)) {
      i += 2;
      out.push({ kind: 'recursive', name: name() });
    } else if (src[i] === '.') {
      i++;
      const n = name();
      if (n === '*') out.push({ kind: 'wildcard' });
      else if (n !== '') out.push({ kind: 'field', name: n });
    } else if (src[i] === '[') {
      const close = matchingBracket(src, i, template);
      out.push(parseBracket(src.slice(i + 1, close).trim(), template));
      i = close + 1;
    } else {
      // A path may start with a bare field name: `{metadata.name}` reads as `{.metadata.name}`.
      const n = name();
      if (n === '') throw bad(template, `unexpected ${src[i]} in ${src}`);
      out.push({ kind: 'field', name: n });
    }
  }
  return out;
}

function matchingBracket(src: string, open: number, template: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let j = open; j < src.length; j++) {
    const c = src[j]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return j;
  }
  throw bad(template, `unclosed [ in ${src}`);
}

function parseBracket(inner: string, template: string): Segment {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)(?::\d*)?$/.exec(inner);
  if (slice) {
    return { kind: 'slice', ...(slice[1] ? { start: Number(slice[1]) } : {}), ...(slice[2] ? { end: Number(slice[2]) } : {}) };
  }
  if (/^(['"]).*\1$/.test(inner)) return { kind: 'field', name: inner.slice(1, -1) };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter) {
    const m = /^(@[^=!<>\s]*)\s*(==|!=|<=|>=|<|>)\s*(.+)$/.exec(filter[1]!.trim());
    if (!m) return { kind: 'filter', path: parsePath(filter[1]!.trim(), template) };
    return { kind: 'filter', path: parsePath(m[1]!, template), op: m[2] as '==', value: literal(m[3]!.trim(), template) };
  }
  throw bad(template, `unrecognized identifier [${inner}]`);
}

function literal(s: string, template: string): string | number | boolean {
  if (/^(['"]).*\1$/.test(s)) return parseString(s, template);
  if (s === 'true' || s === 'false') return s === 'true';
  const n = Number(s);
  if (Number.isNaN(n)) throw bad(template, `unrecognized literal ${s}`);
  return n;
}

/** Every value a path reaches from `current`, in order; `root` is what `$` means. */
export function evaluatePath(path: readonly Segment[], current: unknown): unknown[] {
  let values: unknown[] = [current];
  for (const seg of path) values = values.flatMap((v) => step(seg, v));
  return values;
}

function step(seg: Segment, v: unknown): unknown[] {
  switch (seg.kind) {
    case 'field':
      return isObject(v) && Object.hasOwn(v, seg.name) ? [v[seg.name]] : [];
    case 'wildcard':
      return Array.isArray(v) ? v : isObject(v) ? Object.keys(v).sort().map((k) => v[k]) : [];
    case 'index': {
      if (!Array.isArray(v)) return [];
      const i = seg.index < 0 ? v.length + seg.index : seg.index;
      return i >= 0 && i < v.length ? [v[i]] : [];
    }
    case 'slice':
      return Array.isArray(v) ? v.slice(seg.start, seg.end) : [];
    case 'recursive':
      return descend(v, seg.name);
    case 'filter': {
      const items = Array.isArray(v) ? v : [];
      return items.filter((item) => {
        const found = evaluatePath(seg.path, item);
        if (seg.op === undefined) return found.length > 0;
        return found.some((f) => compare(f, seg.op!, seg.value!));
      });
    }
  }
}

function descend(v: unknown, name: string): unknown[] {
  const out: unknown[] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (isObject(x)) {
      if (Object.hasOwn(x, name)) out.push(x[name]);
      for (const k of Object.keys(x)) walk(x[k]);
    }
  };
  walk(v);
  return out;
}

function compare(a: unknown, op: string, b: string | number | boolean): boolean {
  switch (op) {
    case '==':
      return a === b || (typeof b === 'number' && Number(a) === b);
    case '!=':
      return !(a === b || (typeof b === 'number' && Number(a) === b));
    default: {
      const [x, y] = [Number(a), Number(b)];
      return op === '<' ? x < y : op === '>' ? x > y : op === '<=' ? x <= y : x >= y;
    }
  }
}

function render(nodes: readonly Node[], current: unknown, root: unknown): string {
  let out = '';
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text;
    else if (node.kind === 'path') out += evaluatePath(node.path, current).map(formatValue).join(' ');
    else for (const item of evaluatePath(node.path, current)) out += render(node.body, item, root);
  }
  return out;
}

/** A value as kubectl prints a JSONPath result: text bare, everything else as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  // Go writes a map's keys in order; an object read from the server is one.
  if (typeof v === 'object') return JSON.stringify(sortKeys(v));
  return String(v);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(template: string, why: string): CtlError {
  return new CtlError(`error parsing jsonpath ${template}, ${why}`);
}
