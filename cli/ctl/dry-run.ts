import { CtlError } from './errors.js';
import { formatObjects, parseOutput, withoutManagedFields, type OutputFormat } from './output.js';
import type { Session } from './session.js';

export type DryRun = 'none' | 'client' | 'server';

/**
 * What the commands that change objects share with kubectl's: `--dry-run=none|client|server` (client:
 * nothing is sent; server: the server checks the change and keeps nothing) and `-o` printing the
 * object instead of the line that says what happened.
 *
 *   const how = changeOutput({ dryRun: 'client', output: undefined });
 *   printChange(s, how, 'pod/web', 'labeled', pod)   // pod/web labeled (dry run)
 */
export interface ChangeOutput {
  dryRun: DryRun;
  /** What `-o` asked for; undefined for the line. */
  format: Exclude<OutputFormat, { kind: 'table' }> | undefined;
}

export function changeOutput(o: { dryRun?: string; output?: string }): ChangeOutput {
  const dryRun = o.dryRun ?? 'none';
  if (dryRun !== 'none' && dryRun !== 'client' && dryRun !== 'server') throw new CtlError(`Invalid dry-run value (${dryRun}). Must be "none", "server", or "client".`);
  const format = o.output === undefined ? undefined : parseOutput(o.output);
  if (format?.kind === 'table') throw new CtlError(`unable to match a printer suitable for the output format "${o.output}", allowed formats are: json,jsonpath,name,yaml`);
  return { dryRun, format };
}

/** The query a write carries: `dryRun=All` under --dry-run=server. */
export function dryRunQuery(how: ChangeOutput): string {
  return how.dryRun === 'server' ? '?dryRun=All' : '';
}

/** `pod/web labeled`, `... (dry run)`, `... (server dry run)`; with -o, the object itself (`pod/web` for -o name). */
export function printChange(s: Session, how: ChangeOutput, named: string, done: string, object: Record<string, unknown>): void {
  if (!how.format) s.out(`${named} ${done}${how.dryRun === 'client' ? ' (dry run)' : how.dryRun === 'server' ? ' (server dry run)' : ''}\n`);
  else if (how.format.kind === 'name') s.out(`${named}\n`);
  else s.out(formatObjects([withoutManagedFields(object)], how.format, true, () => undefined));
}
