import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { CtlError } from './errors.js';

/** One object from a manifest, and where it came from (for messages). */
export interface Manifest {
  source: string;
  object: Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name?: string; namespace?: string; [k: string]: unknown } };
}

const EXTENSIONS = /\.(ya?ml|json)$/i;

/**
 * The objects `-f` names, in order: files, folders (their .yaml, .yml and .json files, sorted;
 * with `recursive` the folders inside too), `-` for standard input. A file may hold several YAML
 * documents, and a `kind: List` stands for its items. A malformed file is a one-line error that
 * names it.
 *
 *   await readManifests(['app/'], { readStdin })
 *     // [{ source: 'app/db.yaml', object: { apiVersion: 'v1', kind: 'Service', ... } }, ...]
 */
export async function readManifests(paths: readonly string[], opts: { recursive?: boolean; readStdin: () => Promise<string> }): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      out.push(...parseManifests(await opts.readStdin(), 'STDIN'));
      continue;
    }
    for (const file of expand(path, opts.recursive ?? false, true)) out.push(...parseManifests(readFileSync(file, 'utf8'), file));
  }
  return out;
}

function expand(path: string, recursive: boolean, top: boolean): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new CtlError(`the path "${path}" does not exist`);
  }
  if (!st.isDirectory()) return [path];
  if (!top && !recursive) return [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => {
      const full = join(path, name);
      if (statSync(full).isDirectory()) return expand(full, recursive, false);
      return EXTENSIONS.test(name) ? [full] : [];
    });
}

/**
 * The objects in one file's text.
 *
 *   parseManifests('kind: ConfigMap\napiVersion: v1\nmetadata: {name: a}\n---\n', 'a.yaml')
 *     // [{ source: 'a.yaml', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } } }]
 *   parseManifests('a: [', 'bad.yaml')   // throws: error parsing bad.yaml: ...
 */
export function parseManifests(text: string, source: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseAllDocuments(text)) {
    if ('errors' in doc && doc.errors.length > 0) {
      throw new CtlError(`error parsing ${source}: ${doc.errors[0]!.message.split('\n')[0]!.replace(/:\s*$/, '')}`);
    }
    const value = doc.toJSON() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new CtlError(`error parsing ${source}: a manifest must be a map of fields, found ${Array.isArray(value) ? 'a list' : JSON.stringify(value)}`);
    const obj = value as Record<string, unknown>;
    if (obj.kind === 'List' && Array.isArray(obj.items)) {
      out.push(...(obj.items as unknown[]).map((item) => checked(item as Record<string, unknown>, source)));
    } else out.push(checked(obj, source));
  }
  return out;
}

function checked(obj: Record<string, unknown>, source: string): Manifest {
  const missing = [obj.apiVersion ? undefined : 'apiVersion not set', obj.kind ? undefined : 'kind not set'].filter(Boolean);
  if (missing.length > 0) throw new CtlError(`error validating "${source}": error validating data: [${missing.join(', ')}]`);
  const metadata = obj.metadata;
  if (metadata !== undefined && (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))) {
    throw new CtlError(`error validating "${source}": metadata must be a map`);
  }
  return { source, object: { ...obj, metadata: { ...((metadata as object | undefined) ?? {}) } } as Manifest['object'] };
}
