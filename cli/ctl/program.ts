import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runApiResources } from './api-resources.js';
import { runApply } from './apply.js';
import { runConfig } from './config.js';
import { runCreate } from './create.js';
import { runDelete } from './delete.js';
import { runDescribe } from './describe.js';
import { describeError } from './errors.js';
import { runExplain } from './explain.js';
import { runGet } from './get.js';
import { kubeconfigPath, loadKubeconfig, resolveConnection } from './kubeconfig.js';
import { runLabelOrAnnotate } from './label.js';
import { Rest } from './rest.js';
import { runScale } from './scale.js';
import { createSession, type Session } from './session.js';

/** Where a run's output goes and how it reads stdin; the process's own unless a test says otherwise. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  readStdin?: () => Promise<string>;
  env: NodeJS.ProcessEnv;
}

const bool = (v: string | undefined) => {
  if (v === undefined || v === 'true') return true;
  if (v === 'false') return false;
  throw new InvalidArgumentError('expected true or false');
};
const count = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number');
  return n;
};
const collect = (v: string, prev: string[] = []) => [...prev, v];

/**
 * Runs one minikctl command line (without `node` and the script) and answers its exit code:
 * kubectl's commands and flags, kubectl's one-line errors, never a stack trace.
 *
 *   await runMinikctl(['get', 'pods', '-n', 'kube-system'], io)   // 0, the table on io.out
 *   await runMinikctl(['get', 'foo'], io)   // 1, 'error: the server doesn't have a resource type "foo"' on io.err
 */
export async function runMinikctl(argv: string[], io: Io): Promise<number> {
  let code = 0;
  const program = new Command('minikctl')
    .description('minikctl controls the minik cluster, the way kubectl controls a Kubernetes cluster.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err, outputError: () => undefined })
    .option('--kubeconfig <file>', 'path to the kubeconfig file (default: $KUBECONFIG, ~/.minik/config, ~/.kube/config)')
    .option('--context <name>', 'the kubeconfig context to use')
    .option('-s, --server <url>', 'the address of the API server')
    .option('-n, --namespace <ns>', 'the namespace for this request');

  const kubeconfig = () => loadKubeconfig(kubeconfigPath({ flag: program.opts().kubeconfig, env: io.env }));
  const session = (): Session => {
    const g = program.opts();
    const conn = resolveConnection(kubeconfig().config, { context: g.context, server: g.server, namespace: g.namespace });
    return createSession({ rest: new Rest(conn.server), namespace: conn.namespace, namespaceFromFlag: conn.namespaceFromFlag, out: io.out, err: io.err, ...(io.readStdin ? { readStdin: io.readStdin } : {}) });
  };
  const run = (fn: (...a: any[]) => Promise<number> | number) => async (...a: any[]) => {
    code = await fn(...a);
  };
  const files = (c: Command) => c.option('-f, --filename <file>', 'a file, a folder, or - for stdin (repeatable)', collect).option('-R, --recursive [bool]', 'read folders recursively', bool, false);
  const selectors = (c: Command) =>
    c
      .option('-l, --selector <selector>', 'label selector, e.g. app=web,tier!=db')
      .option('--field-selector <selector>', 'field selector, e.g. status.phase=Running')
      .option('-A, --all-namespaces [bool]', 'across every namespace', bool, false);

  selectors(program.command('get').argument('[resources...]').description('display one or many resources'))
    .option('-o, --output <format>', 'wide, yaml, json, name or jsonpath=TEMPLATE')
    .option('-w, --watch [bool]', 'after listing, watch for changes', bool, false)
    .option('--watch-only [bool]', 'watch for changes without listing first', bool, false)
    .option('--show-labels [bool]', 'show every label as the last column', bool, false)
    .option('--no-headers', 'print no header row')
    .action(run((args: string[], o) => runGet(session(), args, { ...o, selector: o.selector, fieldSelector: o.fieldSelector, noHeaders: o.headers === false })));

  selectors(program.command('describe').argument('<resources...>').description('show the details of a resource or group of resources')).action(
    run((args: string[], o) => runDescribe(session(), args, o)),
  );

  files(program.command('apply').description('apply a configuration to resources from files or stdin')).action(
    run((o) => runApply(session(), o.filename ?? [], o)),
  );

  files(program.command('create').description('create resources from files or stdin'))
    .option('--save-config [bool]', 'record the configuration for later applies', bool, false)
    .action(run((o) => runCreate(session(), o.filename ?? [], o)));

  files(selectors(program.command('delete').argument('[resources...]').description('delete resources by names, files, or label selectors')))
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .addOption(new Option('--cascade [mode]', 'background, foreground or orphan').preset('background').default('background'))
    .option('--grace-period <seconds>', 'seconds the object is given to stop (-1: its own default)', count, -1)
    .option('--now [bool]', 'a grace period of 1 second', bool, false)
    .option('--force [bool]', 'remove at once, without waiting for the node', bool, false)
    .option('--wait [bool]', 'wait until the objects are gone', bool, true)
    .option('--ignore-not-found [bool]', 'a missing object is not an error', bool, false)
    .action(run((args: string[], o) => runDelete(session(), args, { ...o, filenames: o.filename })));

  files(program.command('scale').argument('[resources...]').description('set a new size for a deployment or replica set'))
    .requiredOption('--replicas <n>', 'the new number of replicas', count)
    .option('--current-replicas <n>', 'only if the current number is this', count)
    .option('-l, --selector <selector>', 'label selector')
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .action(run((args: string[], o) => runScale(session(), args, { ...o, filenames: o.filename })));

  for (const [name, what] of [['label', 'label'], ['annotate', 'annotation']] as const) {
    files(program.command(name).argument('<args...>').description(`update the ${what}s on a resource (KEY=VALUE to set, KEY- to remove)`))
      .option('--overwrite [bool]', `allow changing ${what}s that already have a value`, bool, false)
      .option('-l, --selector <selector>', 'label selector')
      .option('--all [bool]', 'every resource of the types given', bool, false)
      .option('-A, --all-namespaces [bool]', 'across every namespace', bool, false)
      .action(run((args: string[], o) => runLabelOrAnnotate(session(), what, args, { ...o, filenames: o.filename })));
  }

  program
    .command('api-resources')
    .description('print the supported API resources on the server')
    .option('-o, --output <format>', 'wide or name')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources', bool)
    .option('--api-group <group>', 'only this API group ("" for core)')
    .option('--no-headers', 'print no header row')
    .action(run((o) => runApiResources(session(), { ...o, noHeaders: o.headers === false })));

  program
    .command('explain')
    .argument('<resource>', 'TYPE or TYPE.field.path')
    .description('describe the fields of a resource, from the OpenAPI schema the server publishes')
    .option('--recursive [bool]', 'print the fields of fields', bool, false)
    .action(run((arg: string, o) => runExplain(session(), arg, o)));

  const config = program.command('config').description('modify kubeconfig files');
  const configCmd = (sub: 'get-contexts' | 'current-context' | 'use-context' | 'set-context' | 'view', args: string) =>
    config
      .command(sub)
      .argument(args)
      .action(
        run((positional: string[] | string | undefined, o) => {
          // The program's own -n/--namespace takes the flag wherever it appears, set-context's included.
          const namespace = o.namespace ?? program.opts().namespace;
          io.out(runConfig(kubeconfig(), sub, [positional ?? []].flat().filter(Boolean) as string[], { ...o, namespace, noHeaders: o.headers === false }));
          return 0;
        }),
      );
  configCmd('get-contexts', '[name]').option('-o, --output <format>', 'name').option('--no-headers', 'print no header row');
  configCmd('current-context', '[ignored]');
  configCmd('use-context', '<name>');
  configCmd('set-context', '[name]').option('--current', 'the current context').option('--namespace <ns>', 'its namespace').option('--cluster <name>', 'its cluster').option('--user <name>', 'its user');
  configCmd('view', '[ignored]').option('-o, --output <format>', 'yaml or json');

  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      io.err(`${commanderMessage(err)}\n`);
      return 1;
    }
    io.err(`${describeError(err)}\n`);
    return 1;
  }
}

/** Commander's complaints, worded as kubectl (cobra) words them. */
function commanderMessage(err: CommanderError): string {
  const unknown = /unknown command '([^']*)'/.exec(err.message);
  if (err.code === 'commander.unknownCommand' && unknown) return `error: unknown command "${unknown[1]}" for "minikctl"`;
  return err.message.startsWith('error:') ? err.message.split('\n')[0]! : `error: ${err.message.split('\n')[0]}`;
}
