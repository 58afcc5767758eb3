import { formatJsonPointer, parseJsonPointer } from './json-pointer.js';
import { cloneJson, getOwn, isJsonObject, jsonEqual, setOwn, type JsonArray, type JsonObject, type JsonValue } from './json-value.js';
import { PatchError } from './patch-error.js';

/** One RFC 6902 operation; members other than these are ignored, as the RFC says. */
export type JsonPatchOperation =
  | { op: 'add' | 'replace' | 'test'; path: string; value: JsonValue }
  | { op: 'remove'; path: string }
  | { op: 'move' | 'copy'; from: string; path: string };

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/**
 * Applies an RFC 6902 JSON Patch (`application/json-patch+json`, what `kubectl rollout undo` and
 * @kubernetes/client-node's `patchNamespaced*` send) and returns a new document. All or nothing:
 * any failure throws a PatchError and `doc` is never modified.
 *
 *   applyJsonPatch(
 *     { metadata: { name: 'web' }, spec: { replicas: 1 } },
 *     [ { op: 'test', path: '/metadata/name', value: 'web' },
 *       { op: 'replace', path: '/spec/replicas', value: 3 } ])
 *     // { metadata: { name: 'web' }, spec: { replicas: 3 } }
 *   applyJsonPatch({ spec: {} }, [{ op: 'remove', path: '/spec/x' }])
 *     // throws PatchError('doc is missing path: /spec/x')
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  const operations = checkOperations(ops);
  // Working on a copy is what makes a failure halfway through leave nothing behind.
  const root: Root = { doc: cloneJson(doc as JsonValue) };
  for (const op of operations) applyOperation(root, op);
  return root.doc;
}

/** Holds the document so that an operation on the empty pointer can replace it. */
interface Root {
  doc: JsonValue;
}

interface Checked {
  op: JsonPatchOperation['op'];
  path: string[];
  from: string[];
  value: JsonValue;
}

/** Rejects a malformed patch before touching anything, so that a bad last operation is not found only after work. */
function checkOperations(ops: unknown): Checked[] {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations', { malformed: true });
  return ops.map((raw: unknown, i): Checked => {
    if (!isJsonObject(raw)) throw new PatchError(`operation ${i} must be an object`, { malformed: true });
    const op = getOwn(raw, 'op');
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw new PatchError(`operation ${i} has an unknown op ${JSON.stringify(op ?? null)}`, { malformed: true });
    }
    const path = getOwn(raw, 'path');
    if (typeof path !== 'string') throw new PatchError(`operation ${i} (${op}) needs a string "path"`, { malformed: true });
    const from = getOwn(raw, 'from');
    if ((op === 'move' || op === 'copy') && typeof from !== 'string') {
      throw new PatchError(`operation ${i} (${op}) needs a string "from"`, { malformed: true });
    }
    const value = getOwn(raw, 'value');
    if ((op === 'add' || op === 'replace' || op === 'test') && value === undefined) {
      throw new PatchError(`operation ${i} (${op}) needs a "value"`, { malformed: true });
    }
    return {
      op: op as Checked['op'],
      path: parseJsonPointer(path),
      from: typeof from === 'string' ? parseJsonPointer(from) : [],
      value: value ?? null,
    };
  });
}

function applyOperation(root: Root, { op, path, from, value }: Checked): void {
  switch (op) {
    case 'add':
      return add(root, path, cloneJson(value));
    case 'remove':
      remove(root, path);
      return;
    case 'replace':
      return replace(root, path, cloneJson(value));
    case 'move': {
      if (from.length < path.length && from.every((t, i) => t === path[i])) {
        throw new PatchError(`cannot move ${formatJsonPointer(from)} into its own child ${formatJsonPointer(path)}`);
      }
      return add(root, path, remove(root, from));
    }
    case 'copy':
      return add(root, path, cloneJson(get(root, from)));
    case 'test': {
      let actual: JsonValue;
      try {
        actual = get(root, path);
      } catch {
        throw testFailed(path);
      }
      if (!jsonEqual(actual, value)) throw testFailed(path);
    }
  }
}

function testFailed(path: string[]): PatchError {
  return new PatchError(`testing value ${formatJsonPointer(path)} failed`);
}

function missing(path: string[]): PatchError {
  return new PatchError(`doc is missing path: ${formatJsonPointer(path)}`);
}

function get(root: Root, path: string[]): JsonValue {
  const value = find(root.doc, path);
  if (value === undefined) throw missing(path);
  return value;
}

function find(doc: JsonValue, path: string[]): JsonValue | undefined {
  let at: JsonValue | undefined = doc;
  for (const token of path) at = at === undefined ? undefined : child(at, token);
  return at;
}

function child(container: JsonValue, token: string): JsonValue | undefined {
  if (Array.isArray(container)) {
    const i = arrayIndex(token);
    return i === undefined ? undefined : container[i];
  }
  return isJsonObject(container) ? getOwn(container, token) : undefined;
}

/** RFC 6901: decimal digits without leading zeros; `-` (past the end) is handled by `add` alone. */
function arrayIndex(token: string): number | undefined {
  return /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
}

/** The container the last token of `path` points into; it must exist (RFC 6902 section 4.1). */
function parentOf(root: Root, path: string[]): { parent: JsonArray | JsonObject; token: string } {
  // Named by the whole path, as upstream does: `/baz/bat` is what the operation could not reach.
  const parent = find(root.doc, path.slice(0, -1));
  if (!Array.isArray(parent) && !isJsonObject(parent)) throw missing(path);
  return { parent, token: path[path.length - 1]! };
}

function add(root: Root, path: string[], value: JsonValue): void {
  if (path.length === 0) {
    root.doc = value;
    return;
  }
  const { parent, token } = parentOf(root, path);
  if (!Array.isArray(parent)) return setOwn(parent, token, value);
  const i = token === '-' ? parent.length : arrayIndex(token);
  if (i === undefined || i > parent.length) throw missing(path);
  parent.splice(i, 0, value);
}

function remove(root: Root, path: string[]): JsonValue {
  if (path.length === 0) throw new PatchError('cannot remove the whole document');
  const { parent, token } = parentOf(root, path);
  const old = child(parent, token);
  if (old === undefined) throw missing(path);
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else delete parent[token];
  return old;
}

function replace(root: Root, path: string[], value: JsonValue): void {
  if (path.length === 0) {
    root.doc = value;
    return;
  }
  const { parent, token } = parentOf(root, path);
  if (child(parent, token) === undefined) throw missing(path);
  if (Array.isArray(parent)) parent[Number(token)] = value;
  else setOwn(parent, token, value);
}
