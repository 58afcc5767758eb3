import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { goQuote } from '../../api/go-quote.js';
import { applyJsonPatch } from '../../apiserver/patch/json-patch.js';
import { applyMergePatch } from '../../apiserver/patch/merge-patch.js';
import { jsonEqual, type JsonValue } from '../../apiserver/patch/json-value.js';
import { applyStrategicMergePatch } from '../../apiserver/patch/strategic-merge-patch.js';
import { strategyFor } from '../../apiserver/patch/strategies.js';
import { qualifiedKind, resourcePath } from './discovery.js';
import { changeOutput, dryRunQuery, printChange } from './dry-run.js';
import { ApiError, CtlError, describeError } from './errors.js';
import { kindOfObject } from './output.js';
import type { Session } from './session.js';
import { selectObjects, type SelectOptions } from './targets.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PatchOptions extends SelectOptions {
  patch?: string;
  patchFile?: string;
  type?: string;
  subresource?: string;
  dryRun?: string;
  output?: string;
}

const CONTENT_TYPES = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json' } as const;

/**
 * `minikctl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the patch sent as it is, as
 * kubectl sends it, so the server's patch rules and errors are the answer. Prints
 * `deployment.apps/web patched`, or `patched (no change)` when the object came back the same;
 * `--subresource=scale` patches the scale (`scale.autoscaling/web patched`).
 *
 *   minikctl patch deploy web -p '{"spec":{"replicas":3}}'
 *   minikctl patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":3}]'
 */
export async function runPatch(s: Session, args: string[], o: PatchOptions): Promise<number> {
  if (o.patch === undefined && o.patchFile === undefined) throw new CtlError('must specify --patch or --patch-file containing the contents of the patch');
  const type = o.type ?? 'strategic';
  if (type !== 'json' && type !== 'merge' && type !== 'strategic') throw new CtlError(`--type must be one of [json merge strategic], not "${type}"`);
  const how = changeOutput(o);
  const text = asJson(o.patchFile !== undefined ? readPatchFile(o.patchFile) : o.patch!, o.patch);
  let failed = 0;
  for (const ref of await selectObjects(s, args, o, 'patch')) {
    const path = resourcePath(ref.resource, ref.namespace, ref.name, o.subresource);
    try {
      const original = await s.rest.request<Json>('GET', path);
      const patched =
        how.dryRun === 'client'
          ? applyLocally(original, text, type, ref.resource.kind)
          : await s.rest.request<Json>('PATCH', `${path}${dryRunQuery(how)}`, { rawBody: text, contentType: CONTENT_TYPES[type] });
      const named = o.subresource ? `${kindOfObject(patched)}/${ref.name}` : `${qualifiedKind(ref.resource)}/${ref.name}`;
      const done = jsonEqual(original as JsonValue, patched as JsonValue) ? 'patched (no change)' : 'patched';
      // kubectl says only "patched" of a dry run, client or server.
      printChange(s, { ...how, dryRun: 'none' }, named, done, patched);
    } catch (err) {
      if (!(err instanceof ApiError) && !(err instanceof CtlError)) throw err;
      failed++;
      s.err(`${describeError(err)}\n`);
    }
  }
  return failed > 0 ? 1 : 0;
}

/**
 * The patch as kubectl sends it (apimachinery's yaml.ToJSON): text that opens with `{` goes as it
 * is, for the server to judge; anything else is read as YAML and sent as JSON.
 */
function asJson(text: string, typed: string | undefined): string {
  if (/^\s*\{/.test(text)) return text;
  try {
    return JSON.stringify(parseYaml(text) ?? null);
  } catch (err) {
    throw new CtlError(`unable to parse ${goQuote(typed ?? text)}: ${(err as Error).message.split('\n')[0]}`);
  }
}

function readPatchFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new CtlError(`open ${path}: no such file or directory`);
  }
}

/** A client dry run: the patch applied here, as the server would apply it. */
function applyLocally(original: Json, text: string, type: 'json' | 'merge' | 'strategic', kind: string): Json {
  let patch: unknown;
  try {
    patch = JSON.parse(text);
  } catch {
    throw new CtlError(`unable to parse the patch: ${text}`);
  }
  try {
    if (type === 'json') return applyJsonPatch(original, patch) as Json;
    if (type === 'merge') return applyMergePatch(original, patch) as Json;
    return applyStrategicMergePatch(original, patch, strategyFor(kind)) as Json;
  } catch (err) {
    throw new CtlError((err as Error).message);
  }
}
