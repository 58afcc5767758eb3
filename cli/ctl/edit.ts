import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { setOwn } from '../../apiserver/patch/json-value.js';
import { apiVersionOf, qualifiedKind, resourcePath } from './discovery.js';
import { ApiError, CtlError, describeError } from './errors.js';
import { toYaml } from './output.js';
import { parseResourceArgs } from './resource-args.js';
import type { Session } from './session.js';

type Json = Record<string, any>;

const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** The editor kubectl runs: $KUBE_EDITOR, else $EDITOR, else vi. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
  return env.KUBE_EDITOR?.trim() || env.EDITOR?.trim() || 'vi';
}

/**
 * The JSON merge patch that turns `before` into `after`: changed and new fields set, removed
 * fields null, lists replaced whole. Undefined when they are the same.
 *
 *   mergePatch({ spec: { replicas: 1, paused: true } }, { spec: { replicas: 2 } })
 *     // { spec: { replicas: 2, paused: null } }
 */
export function mergePatch(before: unknown, after: unknown): unknown {
  if (!isObject(before) || !isObject(after)) return JSON.stringify(before) === JSON.stringify(after) ? undefined : after;
  const patch: Json = {};
  // Own keys only, and `__proto__` set as a key: a ConfigMap's data may hold either name.
  for (const k of Object.keys(before)) if (!Object.hasOwn(after, k)) setOwn(patch, k, null);
  for (const [k, v] of Object.entries(after)) {
    if (!Object.hasOwn(before, k)) setOwn(patch, k, v);
    else {
      const sub = mergePatch(before[k], v);
      if (sub !== undefined) setOwn(patch, k, sub);
    }
  }
  return Object.keys(patch).length === 0 ? undefined : patch;
}

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * What the edited file says: comment lines dropped, the rest read as YAML. `empty` when nothing
 * but comments and blank lines is left (which cancels the edit, as in kubectl).
 */
export function readEdited(text: string): { empty: true } | { empty: false; object: Json } {
  const body = text
    .split('\n')
    .filter((l) => !l.startsWith('#'))
    .join('\n');
  if (body.trim() === '') return { empty: true };
  const object = parseYaml(body, { version: '1.1' }) as unknown;
  if (!isObject(object)) throw new CtlError('the edited file is not a YAML object');
  return { empty: false, object };
}

/**
 * `minikctl edit TYPE NAME`: the object as YAML in $KUBE_EDITOR or $EDITOR (vi by default); what
 * the editor leaves is sent as a merge patch. Nothing changed: "Edit cancelled, no changes made.".
 * A change the server refuses is not reopened: its error is printed and the edit is kept in a
 * temporary file, as kubectl keeps it, and the exit code is 1.
 */
export async function runEdit(s: Session, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const requests = parseResourceArgs(await s.resources(), args);
  const req = requests[0];
  if (!req || requests.length !== 1 || req.names.length !== 1) throw new CtlError('edit needs exactly one object: TYPE NAME or TYPE/NAME');
  const path = resourcePath(req.resource, req.resource.namespaced ? s.namespace : undefined, req.names[0]);
  const live = { apiVersion: apiVersionOf(req.resource), kind: req.resource.kind, ...(await s.rest.request<Json>('GET', path)) };
  const original = toYaml(live);
  const file = join(mkdtempSync(join(tmpdir(), 'minikctl-edit-')), `${req.resource.name}-${req.names[0]}.yaml`);
  writeFileSync(file, HEADER + original);

  const editor = editorCommand(env);
  // A command with arguments ("code --wait") goes through the shell, as kubectl runs it.
  const ran = /\s/.test(editor) ? spawnSync('sh', ['-c', `${editor} "$1"`, 'sh', file], { stdio: 'inherit', env }) : spawnSync(editor, [file], { stdio: 'inherit', env });
  if (ran.error) throw new CtlError(`there was a problem with the editor "${editor}": ${ran.error.message}`);
  if (ran.status !== 0) throw new CtlError(`there was a problem with the editor "${editor}"`);

  const text = readFileSync(file, 'utf8');
  let edited: ReturnType<typeof readEdited>;
  try {
    edited = readEdited(text);
  } catch (err) {
    s.err(`error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\nA copy of your changes has been stored to "${file}"\n`);
    throw new CtlError('Edit cancelled, no valid changes were saved.');
  }
  if (edited.empty) throw new CtlError('Edit cancelled, saved file was empty.');
  const patch = mergePatch(live, edited.object);
  if (patch === undefined) {
    s.out('Edit cancelled, no changes made.\n');
    return 0;
  }
  try {
    await s.rest.request('PATCH', path, { body: patch, contentType: 'application/merge-patch+json' });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    s.err(`${describeError(err)}\nA copy of your changes has been stored to "${file}"\n`);
    throw new CtlError('Edit cancelled, no valid changes were saved.');
  }
  s.out(`${qualifiedKind(req.resource)}/${req.names[0]} edited\n`);
  return 0;
}
