import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { runApiResources } from './api-resources.js';
import { runApply } from './apply.js';
import { runConfig } from './config.js';
import { runCreate } from './create.js';
import { runReplace } from './replace.js';
import {
  configMapObject,
  createGenerated,
  DEFAULT_DOCKER_SERVER,
  deploymentObject,
  dockerRegistrySecret,
  namespaceObject,
  oneName,
  secretObject,
  serviceAccountObject,
  serviceObject,
  tlsSecret,
} from './create-generators.js';
import { runDelete } from './delete.js';
import { runDescribe } from './describe.js';
import { CtlError, describeError } from './errors.js';
import { runExplain } from './explain.js';
import { runGet } from './get.js';
import { kubeconfigPath, loadKubeconfig, resolveConnection } from './kubeconfig.js';
import { runLabelOrAnnotate } from './label.js';
import { Rest } from './rest.js';
import { RequestLog } from './request-log.js';
import { runScale } from './scale.js';
import { runVersion } from './version.js';
import { createSession, type Session } from './session.js';
import { runCordon } from './cordon.js';
import { runDrain } from './drain.js';
import { runEdit } from './edit.js';
import { runEvents } from './events.js';
import { runExpose } from './expose.js';
import { runLogs } from './logs.js';
import { runNodeFault } from './node.js';
import { runPodCrash } from './pod-crash.js';
import { runRolloutChange } from './rollout.js';
import { runRolloutHistory } from './rollout-history.js';
import { runRolloutStatus } from './rollout-status.js';
import { runRolloutUndo } from './rollout-undo.js';
import { runRun } from './run.js';
import { runCreateToken } from './create-token.js';
import { runPatch } from './patch.js';
import { runTaint } from './taint.js';
import { runWait } from './wait.js';
import { runApiVersions, runClusterInfo } from './cluster-info.js';
import { runAttach, runCp, runExec, runPortForward } from './container-io.js';
import { runCanI, runWhoami } from './auth.js';
import { parseGoDuration } from '../../api/go-duration.js';
import { runSetImage } from './set-image.js';
import { runTopNodes, runTopPods, TOP_NOTE } from './top.js';

/** Where a run's output goes and how it reads stdin; the process's own unless a test says otherwise. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  readStdin?: () => Promise<string>;
  env: NodeJS.ProcessEnv;
  /** Whether `out` is a terminal: `create token` then ends its line. */
  terminal?: boolean;
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
/** The arguments a command cannot do without, or kubectl's words for their absence. */
const needed = (args: string[], missing: string) => {
  if (args.length === 0) throw new CtlError(missing);
  return args;
};
const NO_ROLLOUT_RESOURCE = 'required resource not specified';
/** A Go duration as kubectl's flags take one (`90s`, `5m`), in nanoseconds. */
const goDuration = (v: string) => {
  try {
    return parseGoDuration(v);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};
/** A `--timeout` in seconds: a Go duration, or (minik's own leniency) a bare number of seconds. */
const timeoutSeconds = (v: string) => (/^\d+$/.test(v) ? Number(v) : Number(goDuration(v)) / 1e9);

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
    .option('-n, --namespace <ns>', 'the namespace for this request')
    .option('-v, --v <level>', "how much to say on stderr: 6 each request's method, URL, status and time; 8 its headers and bodies too", count, 0);

  const kubeconfig = () => loadKubeconfig(kubeconfigPath({ flag: program.opts().kubeconfig, env: io.env }));
  const session = (): Session => {
    const g = program.opts();
    const conn = resolveConnection(kubeconfig().config, { context: g.context, server: g.server, namespace: g.namespace });
    const log = g.v > 0 ? new RequestLog(g.v, io.err) : undefined;
    log?.line(6, `Config loaded from file:  ${kubeconfigPath({ flag: g.kubeconfig, env: io.env })}`);
    return createSession({ rest: new Rest(conn.server, log), namespace: conn.namespace, namespaceFromFlag: conn.namespaceFromFlag, out: io.out, err: io.err, ...(io.readStdin ? { readStdin: io.readStdin } : {}) });
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
    .option('-o, --output <format>', 'wide, yaml, json, name, jsonpath=TEMPLATE or custom-columns=HEADER:PATH,...')
    .option('-w, --watch [bool]', 'after listing, watch for changes', bool, false)
    .option('--watch-only [bool]', 'watch for changes without listing first', bool, false)
    .option('--show-labels [bool]', 'show every label as the last column', bool, false)
    .option('-L, --label-columns <labels>', "a column of each label's value, e.g. app,tier (repeatable)", collect)
    .option('--sort-by <path>', 'sort by a field, e.g. .metadata.name or .status.podIP')
    .option('--show-managed-fields [bool]', 'keep metadata.managedFields in json and yaml', bool, false)
    .option('--raw <path>', "the server's answer to a GET of this path, as it is (e.g. /healthz)")
    .option('--ignore-not-found [bool]', 'a named object that is not there is no error', bool, false)
    .option('--chunk-size <n>', 'objects asked for at a time (0: all at once)', count, 500)
    .option('--no-headers', 'print no header row')
    .action(run((args: string[], o) => runGet(session(), args, { ...o, selector: o.selector, fieldSelector: o.fieldSelector, noHeaders: o.headers === false })));

  selectors(program.command('describe').argument('[resources...]').description('show the details of a resource or group of resources')).action(
    run((args: string[], o) => runDescribe(session(), needed(args, 'You must specify the type of resource to describe. Use "minikctl api-resources" for a complete list of supported resources.'), o)),
  );

  const changing = (c: Command, what: string) =>
    c.option('--dry-run <mode>', `client: print what would be ${what} without sending it; server: have the server check it`).option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE');
  changing(files(program.command('apply').description('apply a configuration to resources from files or stdin')), 'applied').action(
    run((o) => runApply(session(), o.filename ?? [], o)),
  );

  changing(files(program.command('replace')), 'replaced')
    .argument('[args...]', 'none: the objects come from -f')
    .description('replace resources with those of files or stdin, whole')
    .option('--force [bool]', 'delete each and create it again (a pod, whose spec cannot change)', bool, false)
    .option('--save-config [bool]', 'record the configuration for later applies', bool, false)
    .action(run((_args: string[], o) => runReplace(session(), o.filename ?? [], o)));
  const create = changing(files(program.command('create')), 'created')
    .description('create resources from files or stdin, or a ConfigMap, Secret, Namespace, Service or Deployment from flags')
    .option('--save-config [bool]', 'record the configuration for later applies', bool, false)
    .action(run((o) => runCreate(session(), o.filename ?? [], o)));
  // kubectl's generators: the object is made here from the flags, then created as any other.
  const generator = (parent: Command, name: string, description: string) =>
    parent
      .command(name)
      .argument('[name...]')
      .description(description)
      .option('--dry-run <mode>', 'client: print the object without creating it; server: have the server check it')
      .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE');
  /**
   * The action of a generator: its one NAME (kubectl's words for any other count) and flags make
   * the object; `failure` leads the server's refusal, as kubectl words it for that generator.
   */
  const generate = (command: string, make: (name: string, o: any) => Record<string, any>, failure?: string) =>
    run((names: string[], _o, cmd: Command) => {
      // `create` has --dry-run and -o of its own (for -f), which take them wherever they stand.
      const o = cmd.optsWithGlobals();
      return createGenerated(session(), make(oneName(names, command), o), o, { failure });
    });
  const dataSources = (c: Command) =>
    c
      .option('--from-literal <KEY=VALUE>', 'a key and its value (repeatable)', collect)
      .option('--from-file <[KEY=]PATH>', 'a file, named by its file name unless KEY is given, or every file of a folder (repeatable)', collect)
      .option('--from-env-file <PATH>', 'a file of KEY=VALUE lines, one key each (repeatable; not with --from-literal or --from-file)', collect);
  dataSources(generator(create, 'configmap', 'create a ConfigMap from literal values, files or env files').alias('cm')).action(
    generate('create configmap', (name, o) => configMapObject(name, o), 'failed to create configmap: '),
  );
  const secret = create.command('secret').description('create a Secret: generic, docker-registry or tls');
  dataSources(generator(secret, 'generic', 'create a Secret from literal values, files or env files'))
    .option('--type <type>', "the Secret's type (the server's default: Opaque)")
    .action(generate('create secret generic', (name, o) => secretObject(name, o, o.type), 'failed to create secret '));
  generator(secret, 'docker-registry', 'create a Secret for pulling images from a private registry (a pod names it in imagePullSecrets)')
    .option('--docker-server <server>', 'the registry', DEFAULT_DOCKER_SERVER)
    .option('--docker-username <user>', 'the user to log in as')
    .option('--docker-password <password>', 'their password')
    .option('--docker-email <email>', 'their email')
    .option('--from-file <[KEY=]PATH>', 'a docker config file instead, as .dockerconfigjson unless KEY is given (repeatable)', collect)
    .action(generate('create secret docker-registry', (name, o) => dockerRegistrySecret(name, o), 'failed to create secret '));
  generator(secret, 'tls', 'create a TLS Secret from a certificate and its private key')
    .option('--cert <file>', 'the PEM certificate')
    .option('--key <file>', 'the PEM private key of the certificate')
    .action(generate('create secret tls', (name, o) => tlsSecret(name, o), 'failed to create secret '));
  generator(create, 'serviceaccount', 'create a ServiceAccount')
    .alias('sa')
    .action(generate('create serviceaccount', (name) => serviceAccountObject(name), 'failed to create serviceaccount: '));
  create
    .command('token')
    .argument('[name...]')
    .description('request a token for a service account (the TokenRequest API)')
    .option('--duration <duration>', 'how long the token lasts, as 10m or 1h (the server decides when unset)', goDuration)
    .option('--audience <audience>', 'an audience of the token (repeatable; the API server by default)', collect)
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE: the whole TokenRequest')
    .action(run((names: string[], _o, cmd: Command) => runCreateToken(session(), names, cmd.optsWithGlobals(), io.terminal === true)));
  generator(create, 'namespace', 'create a Namespace').alias('ns').action(generate('create namespace', (name) => namespaceObject(name)));
  const service = create.command('service').alias('svc').description('create a Service of the type given');
  const SERVICE_TYPES = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' } as const;
  for (const type of ['clusterip', 'nodeport', 'loadbalancer', 'externalname'] as const) {
    const c = generator(service, type, `create a ${type} Service, selecting app=NAME`).option('--tcp <port[:targetPort]>', 'a TCP port and the port it reaches (repeatable)', collect);
    if (type === 'clusterip') c.option('--clusterip <ip>', 'the cluster IP, or None for a headless Service');
    if (type === 'nodeport') c.option('--node-port <port>', 'the node port of every port', count);
    if (type === 'externalname') c.option('--external-name <name>', 'the DNS name the Service stands for');
    c.action(generate(`create service ${type}`, (name, o) => serviceObject(type, name, o), `failed to create ${SERVICE_TYPES[type]} service: `));
  }
  generator(create, 'deployment', 'create a Deployment running the images given')
    .alias('deploy')
    .option('--image <image>', 'a container image (repeatable: one container each)', collect)
    .option('-r, --replicas <n>', 'the number of replicas', count, 1)
    .option('--port <port>', 'the port the first container exposes', count)
    .action(generate('create deployment', (name, o) => deploymentObject(name, o), 'failed to create deployment: '));

  files(selectors(program.command('delete').argument('[resources...]').description('delete resources by names, files, or label selectors')))
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .addOption(new Option('--cascade [mode]', 'background, foreground or orphan').preset('background').default('background'))
    .option('--grace-period <seconds>', 'seconds the object is given to stop (-1: its own default)', count, -1)
    .option('--now [bool]', 'a grace period of 1 second', bool, false)
    .option('--force [bool]', 'remove at once, without waiting for the node', bool, false)
    .option('--wait [bool]', 'wait until the objects are gone', bool, true)
    .option('--ignore-not-found [bool]', 'a missing object is not an error', bool, false)
    .option('--dry-run <mode>', 'client: print what would be deleted and send nothing; server: have the server check it')
    .option('-o, --output <format>', 'name: print kind/name for each object deleted')
    .action(run((args: string[], o) => runDelete(session(), args, { ...o, filenames: o.filename })));

  files(program.command('scale').argument('[resources...]').description('set a new size for a deployment or replica set'))
    .requiredOption('--replicas <n>', 'the new number of replicas', count)
    .option('--current-replicas <n>', 'only if the current number is this', count)
    .option('-l, --selector <selector>', 'label selector')
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .option('--dry-run <mode>', 'client: print what would be scaled; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE: the object as read before the scale')
    .action(run((args: string[], o) => runScale(session(), args, { ...o, filenames: o.filename })));

  files(program.command('patch').argument('[resources...]').description('change fields of a resource with a strategic merge, JSON merge or JSON patch'))
    .option('-p, --patch <patch>', 'the patch, JSON or YAML')
    .option('--patch-file <file>', 'a file holding the patch')
    .option('--type <type>', 'strategic (the default), merge or json')
    .option('--subresource <name>', 'patch a subresource instead: status or scale')
    .option('--dry-run <mode>', 'client: apply the patch here and send nothing; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
    .action(run((args: string[], o) => runPatch(session(), args, { ...o, filenames: o.filename })));

  for (const [name, what] of [['label', 'label'], ['annotate', 'annotation']] as const) {
    files(program.command(name).argument('[args...]').description(`update the ${what}s on a resource (KEY=VALUE to set, KEY- to remove)`))
      .option('--overwrite [bool]', `allow changing ${what}s that already have a value`, bool, false)
      .option('-l, --selector <selector>', 'label selector')
      .option('--all [bool]', 'every resource of the types given', bool, false)
      .option('-A, --all-namespaces [bool]', 'across every namespace', bool, false)
      .option('--dry-run <mode>', 'client: print the change without sending it; server: have the server check it')
      .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
      .action(
        run((args: string[], o) =>
          runLabelOrAnnotate(session(), what, o.filename ? args : needed(args, 'one or more resources must be specified as <resource> <name> or <resource>/<name>'), { ...o, filenames: o.filename }),
        ),
      );
  }

  program
    .command('api-resources')
    .description('print the supported API resources on the server')
    .option('-o, --output <format>', 'wide or name')
    .option('--namespaced <bool>', 'only namespaced (true) or cluster-scoped (false) resources', bool)
    .option('--api-group <group>', 'only this API group ("" for core)')
    .option('--no-headers', 'print no header row')
    .action(run((o) => runApiResources(session(), { ...o, noHeaders: o.headers === false })));

  const auth = program.command('auth').description('inspect authorization: what the server lets the caller do, and who it takes the caller for');
  auth
    .command('can-i')
    .argument('[args...]', 'VERB TYPE[/NAME], or VERB /PATH')
    .description('whether an action is allowed: yes (exit 0) or no (exit 1)')
    .option('--list [bool]', 'every rule the caller has', bool, false)
    .option('-q, --quiet [bool]', 'say nothing: the exit code answers', bool, false)
    .option('-A, --all-namespaces [bool]', 'in every namespace', bool, false)
    .option('--subresource <name>', 'a subresource, such as log or scale')
    .action(run((args: string[], o) => runCanI(session(), args, o)));
  auth
    .command('whoami')
    .description('who the server takes the caller for')
    .option('-o, --output <format>', 'yaml, json or jsonpath=TEMPLATE')
    .action(run((o) => runWhoami(session(), o)));

  program.command('api-versions').description('print the supported API versions on the server, as "group/version"').action(run(() => runApiVersions(session())));
  program.command('cluster-info').description('print where the control plane answers').action(run(() => runClusterInfo(session())));

  program
    .command('version')
    .description("print the client's and the server's version")
    .option('--client [bool]', "only the client's version, without asking the server", bool, false)
    .option('-o, --output <format>', 'yaml or json')
    .action(run((o) => runVersion(session(), o)));

  program
    .command('explain')
    .argument('<resource>', 'TYPE or TYPE.field.path')
    .description('describe the fields of a resource, from the OpenAPI schema the server publishes')
    .option('--recursive [bool]', 'print the fields of fields', bool, false)
    .action(run((arg: string, o) => runExplain(session(), arg, o)));

  const rollout = program.command('rollout').description('manage the rollout of a deployment');
  rollout
    .command('status')
    .argument('[resources...]')
    .description('show the status of the rollout, following it until it is done')
    .option('-w, --watch [bool]', 'watch the rollout until it is done', bool, true)
    .option('--timeout <duration>', 'how long to wait, as 90s or 5m (0: for ever)', timeoutSeconds, 0)
    .option('--revision <n>', 'the revision to follow; fails if another is running', count)
    .action(run((args: string[], o) => runRolloutStatus(session(), needed(args, NO_ROLLOUT_RESOURCE), o)));
  rollout
    .command('history')
    .argument('[resources...]')
    .description('view the rollout history: the revisions and their change causes')
    .option('--revision <n>', 'show the pod template of this revision', count, 0)
    .action(run((args: string[], o) => runRolloutHistory(session(), needed(args, NO_ROLLOUT_RESOURCE), o)));
  rollout
    .command('undo')
    .argument('[resources...]')
    .description('roll back to a previous revision')
    .option('--to-revision <n>', 'the revision to roll back to (0: the one before the last)', count, 0)
    .action(run((args: string[], o) => runRolloutUndo(session(), needed(args, NO_ROLLOUT_RESOURCE), o)));
  for (const [verb, what] of [['restart', 'restart the pods of a deployment, by a new pod template annotation'], ['pause', 'pause a deployment: template changes wait'], ['resume', 'resume a paused deployment']] as const) {
    rollout
      .command(verb)
      .argument('[resources...]')
      .description(what)
      .action(run((args: string[]) => runRolloutChange(session(), verb, needed(args, NO_ROLLOUT_RESOURCE))));
  }

  const set = program.command('set').description('set specific features on objects');
  files(set.command('image').argument('<args...>', 'TYPE NAME CONTAINER=IMAGE ... (* for every container)').description("update the images of a pod template's containers"))
    .option('-l, --selector <selector>', 'label selector')
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .option('--dry-run <mode>', 'client: print the changed object without sending it; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
    .action(run((args: string[], o) => runSetImage(session(), args, { ...o, filenames: o.filename })));

  program
    .command('edit')
    .argument('<resources...>')
    .description('edit a resource in $KUBE_EDITOR or $EDITOR (vi by default), as YAML')
    .action(run((args: string[]) => runEdit(session(), args, io.env)));

  program
    .command('run')
    .argument('<name>')
    .argument('[args...]', 'after --: the container arguments (its command with --command)')
    .description('run a particular image in a pod')
    .requiredOption('--image <image>', 'the container image')
    .option('--port <port>', 'the port the container exposes')
    .option('-l, --labels <labels>', 'labels, e.g. app=web,tier=front (default run=NAME)')
    .option('--env <KEY=VALUE>', 'an environment variable (repeatable)', collect)
    .option('--restart <policy>', 'Always, OnFailure or Never', 'Always')
    .option('--command [bool]', 'the arguments after -- are the command, not its args', bool, false)
    .option('--dry-run <mode>', 'client: print the pod without creating it; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
    .action(run((name: string, extra: string[], o) => runRun(session(), name, extra, o)));

  program
    .command('expose')
    .argument('<resources...>')
    .description("expose a deployment, replica set, pod or service as a new Service with its selector")
    .option('--port <port>', 'the port the service serves (default: the container ports)')
    .option('--target-port <port>', 'the container port or its name (default: --port)')
    .option('--type <type>', 'ClusterIP, NodePort or LoadBalancer')
    .option('--name <name>', "the service's name (default: the object's)")
    .option('--protocol <protocol>', 'TCP, UDP or SCTP')
    .option('--selector <selector>', 'a selector instead of the one the object has')
    .option('--dry-run <mode>', 'client: print the service without creating it; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
    .action(run((args: string[], o) => runExpose(session(), args, o)));

  files(program.command('wait').argument('[resources...]').description('wait for a condition of one or more resources: --for=condition=Ready, jsonpath=..., create or delete'))
    .option('--for <condition>', 'delete, create, condition=NAME[=VALUE] or jsonpath=EXPR[=VALUE]')
    .option('--timeout <duration>', 'how long to wait for each object, as 90s or 5m (0: look once; default 30s)', timeoutSeconds)
    .option('-l, --selector <selector>', 'label selector')
    .option('--all [bool]', 'every resource of the types given', bool, false)
    .option('-A, --all-namespaces [bool]', 'across every namespace', bool, false)
    .action(run((args: string[], o) => runWait(session(), args, { ...o, filenames: o.filename })));

  program
    .command('taint')
    .argument('<args...>', 'nodes NODE... KEY=VALUE:EFFECT to add, KEY[:EFFECT]- to remove')
    .description('update the taints on nodes: NoSchedule, PreferNoSchedule or NoExecute')
    .option('--all [bool]', 'every node', bool, false)
    .option('-l, --selector <selector>', 'label selector')
    .option('--overwrite [bool]', 'replace a taint of the same key and effect', bool, false)
    .option('--dry-run <mode>', 'client: print the change without sending it; server: have the server check it')
    .option('-o, --output <format>', 'yaml, json, name or jsonpath=TEMPLATE')
    .action(run((args: string[], o) => runTaint(session(), args, o)));
  program.command('cordon').argument('<nodes...>').description('mark a node unschedulable').action(run((nodes: string[]) => runCordon(session(), nodes, true)));
  program.command('uncordon').argument('<nodes...>').description('mark a node schedulable').action(run((nodes: string[]) => runCordon(session(), nodes, false)));
  program
    .command('drain')
    .argument('<node>')
    .description('cordon a node, then evict its pods through the eviction API')
    .option('--ignore-daemonsets [bool]', 'leave DaemonSet pods on the node', bool, false)
    .option('--delete-emptydir-data [bool]', 'evict pods with emptyDir volumes, losing that data', bool, false)
    .option('--force [bool]', 'evict pods no controller owns too', bool, false)
    .option('--grace-period <seconds>', 'seconds each pod is given to stop (-1: its own)', count, -1)
    .option('--timeout <duration>', 'how long to wait for the pods to go, as 90s or 5m (0: for ever)', timeoutSeconds, 0)
    .action(run((node: string, o) => runDrain(session(), node, o)));

  program
    .command('logs')
    .argument('[args...]', 'POD or TYPE/NAME, and optionally the container')
    .description("print a container's logs")
    .option('-c, --container <name>', 'the container')
    .option('-f, --follow [bool]', 'stream the logs as they are written', bool, false)
    .option('--tail <lines>', 'the last lines only (-1: all)', count, -1)
    .option('-p, --previous [bool]', "the previous instance's logs", bool, false)
    .option('--timestamps [bool]', 'a timestamp before each line', bool, false)
    .option('-l, --selector <selector>', 'the logs of every pod this selects (the last 10 lines of each unless --tail says)')
    .option('--prefix [bool]', 'open each line with [pod/NAME/CONTAINER]', bool, false)
    .action(run((args: string[], o) => runLogs(session(), args, o)));

  // What needs a process in a container: the server says why minik has none.
  program.command('exec').argument('[args...]', 'POD or TYPE/NAME, then -- COMMAND...').description('run a command in a container (minik has no processes: the server says so)').option('-c, --container <name>', 'the container').option('-i, --stdin', 'pass stdin').option('-t, --tty', 'stdin is a TTY').action(run((args: string[]) => runExec(session(), args)));
  program.command('attach').argument('<pod>').description("attach to a container's process (minik has none: the server says so)").option('-c, --container <name>', 'the container').option('-i, --stdin', 'pass stdin').option('-t, --tty', 'stdin is a TTY').action(run((pod: string) => runAttach(session(), pod)));
  program.command('port-forward').argument('[args...]', 'TYPE/NAME [LOCAL:]REMOTE...').description("forward local ports to a pod (minik's pods listen on nothing: the server says so)").action(run((args: string[]) => runPortForward(session(), args)));
  program.command('cp').argument('<from>').argument('<to>').description('copy files to or from a container (through exec, which minik has not: the server says so)').option('-c, --container <name>', 'the container').action(run((from: string, to: string) => runCp(session(), from, to)));

  program
    .command('events')
    .description('list events, oldest first')
    .option('-A, --all-namespaces [bool]', 'across every namespace', bool, false)
    .option('--for <kind/name>', 'only the events about this object')
    .option('--types <types>', 'only events of these types: Normal, Warning (repeatable, or comma-separated)', collect)
    .option('-w, --watch [bool]', 'after listing, watch for new events', bool, false)
    .option('--no-headers', 'print no header row')
    .action(run((o) => runEvents(session(), { ...o, noHeaders: o.headers === false })));

  const top = program.command('top').description(`show requested CPU and memory of nodes or pods. ${TOP_NOTE}`);
  for (const [name, aliases, fn] of [['nodes', ['node', 'no'], runTopNodes], ['pods', ['pod', 'po'], runTopPods]] as const) {
    const c = top
      .command(name)
      .aliases([...aliases])
      .argument('[name]')
      .description(`requested CPU and memory of ${name}${name === 'nodes' ? ' against their allocatable' : ''}. ${TOP_NOTE}`)
      .option('-l, --selector <selector>', 'label selector')
      .option('--sort-by <field>', 'cpu or memory')
      .option('--no-headers', 'print no header row');
    if (name === 'pods') c.option('-A, --all-namespaces [bool]', 'across every namespace', bool, false);
    c.action(run((arg: string | undefined, o) => fn(session(), arg, { ...o, noHeaders: o.headers === false })));
  }

  const node = program.command('node').description("a class's faults on nodes, which kubectl lacks");
  node.command('stop').argument('<node>').description('stop the heartbeats of a simulated node: it goes NotReady after the grace period').action(run((n: string) => runNodeFault(session(), 'stop', n)));
  node.command('start').argument('<node>').description('start the heartbeats of a simulated node again').action(run((n: string) => runNodeFault(session(), 'start', n)));

  const pod = program.command('pod').description("a class's faults on pods, which kubectl lacks");
  pod
    .command('crash')
    .argument('<pod>')
    .description("make a pod's containers exit with an error SECONDS after it is Ready, every restart (CrashLoopBackOff)")
    .option('--after <seconds>', 'seconds after Ready (default 0)')
    .option('--stop [bool]', 'stop crashing: the next restart stays up', bool, false)
    .action(run((p: string, o) => runPodCrash(session(), p, o)));

  const config = program.command('config').description('modify kubeconfig files');
  const configCmd = (sub: 'get-contexts' | 'get-clusters' | 'get-users' | 'current-context' | 'use-context' | 'set-context' | 'view', args: string) =>
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
  configCmd('get-clusters', '[ignored]');
  configCmd('get-users', '[ignored]');
  configCmd('current-context', '[ignored]');
  configCmd('use-context', '<name>');
  configCmd('set-context', '[name]').option('--current', 'the current context').option('--namespace <ns>', 'its namespace').option('--cluster <name>', 'its cluster').option('--user <name>', 'its user');
  configCmd('view', '[ignored]').option('-o, --output <format>', 'yaml, json or jsonpath=TEMPLATE');

  try {
    await program.parseAsync(splitShortEquals(argv), { from: 'user' });
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

/**
 * kubectl takes `-o=yaml`, `-n=kube-system`, `-v=6`: a short flag with its value after `=`. The
 * command-line parser would read the `=` as part of the value, so such a word is split in two.
 * Words after `--` are a container's arguments and stay as they are.
 *
 *   splitShortEquals(['get', 'pods', '-o=yaml', '--', 'a=b'])   // ['get', 'pods', '-o', 'yaml', '--', 'a=b']
 */
export function splitShortEquals(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.flatMap((word, i) => ((end < 0 || i < end) && /^-[a-zA-Z]=/.test(word) ? [word.slice(0, 2), word.slice(3)] : [word]));
}
