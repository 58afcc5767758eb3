import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlOnPath } from './support/kubectl.js';
import { startMinikUp, type MinikUp } from './support/minik-up.js';

// minikctl against the cluster a class gets from `minik up`: its five processes on free ports, two
// simulated nodes at speed 10, the scheduler explaining its choices. Where kubectl prints the same
// thing, the real kubectl runs beside it on the same cluster.

const MINIKCTL = join(import.meta.dirname, '..', 'dist', 'cli', 'minikctl.js');
const KUBECTL_MISSING =
  'kubectl is not on the PATH: install the Debian package `kubernetes-client` (apt-get install kubernetes-client) to compare minikctl with it in test/minikctl.test.ts';
const hasKubectl = kubectlOnPath();
const inCI = process.env.CI === 'true';
if (!hasKubectl && !inCI) console.warn(`\n!!! SKIPPING the kubectl comparisons of test/minikctl.test.ts: ${KUBECTL_MISSING}\n`);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('minikctl against a running cluster', () => {
  let cluster: MinikUp;
  let dir: string;

  beforeAll(async () => {
    cluster = await startMinikUp(['--nodes', '2', '--speed', '10']);
    dir = mkdtempSync(join(tmpdir(), 'minikctl-'));
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function exec(file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
    return new Promise((resolve) => {
      const child = execFile(file, args, { env: { ...process.env, KUBECACHEDIR: join(dir, 'cache'), ...opts.env }, timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr });
      });
      if (opts.input !== undefined) child.stdin?.end(opts.input);
    });
  }

  const minikctl = (...args: string[]) => exec(process.execPath, [MINIKCTL, '--kubeconfig', cluster.kubeconfig, ...args]);
  const minikctlWith = (input: string, ...args: string[]) => exec(process.execPath, [MINIKCTL, '--kubeconfig', cluster.kubeconfig, ...args], { input });
  const kubectl = (...args: string[]) => exec('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args]);

  /**
   * Each step run on twin objects, one changed by kubectl and the other by minikctl, in turn: what
   * each prints must be the same but for the object's name.
   */
  async function twins(steps: (name: string) => string[][], theirName: string, ourName: string): Promise<void> {
    const [theirs, ours] = [steps(theirName), steps(ourName)];
    const same = (r: Run, name: string) => ({ code: r.code, stdout: r.stdout.replaceAll(name, 'NAME'), stderr: r.stderr.replaceAll(name, 'NAME') });
    for (let i = 0; i < theirs.length; i++) {
      const [k, m] = [await kubectl(...theirs[i]!), await minikctl(...ours[i]!)];
      expect(same(m, ourName), ours[i]!.join(' ')).toEqual(same(k, theirName));
    }
  }

  /** Runs minikctl and insists on success, so that a failure shows what it said. */
  async function ok(...args: string[]): Promise<string> {
    const r = await minikctl(...args);
    expect(r, `minikctl ${args.join(' ')}\n${r.stderr}`).toMatchObject({ code: 0 });
    return r.stdout;
  }

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  async function eventually<T>(what: string, f: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await f();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const deployment = (name: string, replicas: number, image = 'nginx:1.25') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: nginx
        image: ${image}
        ports: [{containerPort: 80}]
`;
  const pod = (name: string, labels = `{app: ${name}}`) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, labels: ${labels}}
spec:
  containers:
  - name: main
    image: busybox
    resources: {requests: {cpu: 100m, memory: 32Mi}}
`;

  it('applies a folder of multi-document files and stdin: created, then unchanged, then configured', async () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'web.yaml'), `${deployment('web', 2)}---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n`);
    writeFileSync(join(dir, 'app', 'pod.yaml'), pod('solo'));
    expect(await ok('apply', '-f', join(dir, 'app'))).toBe('pod/solo created\ndeployment.apps/web created\nservice/web created\n');
    expect(await ok('apply', '-f', join(dir, 'app'))).toBe('pod/solo unchanged\ndeployment.apps/web unchanged\nservice/web unchanged\n');

    // A label set by hand survives the next apply; a field the manifest drops goes.
    await ok('label', 'deploy', 'web', 'team=blue');
    writeFileSync(join(dir, 'app', 'web.yaml'), deployment('web', 2, 'nginx:1.26').replace('        ports: [{containerPort: 80}]\n', ''));
    expect(await ok('apply', '-f', join(dir, 'app', 'web.yaml'))).toBe('deployment.apps/web configured\n');
    const live = JSON.parse(await ok('get', 'deploy', 'web', '-o', 'json'));
    expect(live.metadata.labels).toEqual({ app: 'web', team: 'blue' });
    expect(live.spec.template.spec.containers).toEqual([expect.objectContaining({ name: 'nginx', image: 'nginx:1.26' })]);
    expect(live.spec.template.spec.containers[0].ports).toBeUndefined();

    const stdin = await minikctlWith(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {mode: fast}\n`, 'apply', '-f', '-');
    expect(stdin).toMatchObject({ code: 0, stdout: 'configmap/settings created\n' });
  });

  it.skipIf(!hasKubectl)('writes the apply record as kubectl does: each reads the other as unchanged', async () => {
    const path = file('shared.yaml', deployment('shared', 1));
    expect((await kubectl('apply', '-f', path)).stdout).toBe('deployment.apps/shared created\n');
    expect(await ok('apply', '-f', path)).toBe('deployment.apps/shared unchanged\n');
    writeFileSync(path, deployment('shared', 3));
    expect(await ok('apply', '-f', path)).toBe('deployment.apps/shared configured\n');
    expect((await kubectl('apply', '-f', path)).stdout).toBe('deployment.apps/shared unchanged\n');
  });

  it('creates from a file, and refuses to create it twice', async () => {
    const path = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: once}\ndata: {a: "1"}\n');
    expect(await ok('create', '-f', path)).toBe('configmap/once created\n');
    const again = await minikctl('create', '-f', path);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`Error from server (AlreadyExists): error when creating "${path}": configmaps "once" already exists\n`);
  });

  it('creates a ConfigMap, a Secret, a Namespace and a Deployment from flags, as kubectl create does', async () => {
    const props = file('app.properties', 'a=1\n');
    expect(await ok('create', 'configmap', 'flags', '--from-literal=mode=fast', `--from-file=${props}`)).toBe('configmap/flags created\n');
    expect(JSON.parse(await ok('get', 'cm', 'flags', '-o', 'jsonpath={.data}'))).toEqual({ mode: 'fast', 'app.properties': 'a=1\n' });
    expect(await ok('create', 'secret', 'generic', 'pw', '--from-literal=password=hunter2')).toBe('secret/pw created\n');
    expect(await ok('get', 'secret', 'pw', '-o', 'jsonpath={.data.password}')).toBe('aHVudGVyMg==');
    expect(await ok('create', 'namespace', 'flags-ns')).toBe('namespace/flags-ns created\n');
    expect(await ok('-n', 'flags-ns', 'create', 'deployment', 'gen', '--image=nginx:1.27', '--replicas=2', '--port=80')).toBe('deployment.apps/gen created\n');
    expect(await ok('-n', 'flags-ns', 'create', 'service', 'clusterip', 'gen', '--tcp=80')).toBe('service/gen created\n');
    expect(await ok('-n', 'flags-ns', 'get', 'svc', 'gen', '-o', 'jsonpath={.spec.selector.app} {.spec.ports[0].targetPort}')).toBe('gen 80');
    expect(await ok('create', 'configmap', 'dry', '--from-literal=k=v', '--dry-run=client')).toBe('configmap/dry created (dry run)\n');
    expect((await minikctl('get', 'cm', 'dry')).code).toBe(1);
    const twice = await minikctl('create', 'configmap', 'flags');
    // kubectl's generators word the server's refusal their own way.
    expect(twice).toMatchObject({ code: 1, stderr: 'error: failed to create configmap: configmaps "flags" already exists\n' });
    expect(await minikctl('create', 'configmap', 'bad', '--from-literal=a=1', '--from-literal=a=2')).toMatchObject({
      code: 1,
      stderr: 'error: cannot add key "a", another key by that name already exists in Data for ConfigMap "bad"\n',
    });
    // Twelve-factor config: an app's env file as a ConfigMap, each line a key.
    const envFile = file('app.env', '\ufeff# the database\r\nDB_HOST=db.local\r\n  DB_URL="postgres://db/app?ssl=1" \r\nKUBECACHEDIR\r\n');
    expect(await ok('create', 'configmap', 'twelve', `--from-env-file=${envFile}`)).toBe('configmap/twelve created\n');
    expect(JSON.parse(await ok('get', 'cm', 'twelve', '-o', 'jsonpath={.data}'))).toEqual({
      DB_HOST: 'db.local',
      DB_URL: '"postgres://db/app?ssl=1" ',
      KUBECACHEDIR: join(dir, 'cache'),
    });
    if (!hasKubectl) return;
    const moreEnv = file('more.env', 'MODE=fast\nEMPTY=\n');
    const clashingEnv = file('clash.env', 'MODE=slow\n');
    const badEnv = file('bad.env', 'A=1\n\ufeffB=2\n');
    const notUtf8 = join(dir, 'latin1.env');
    writeFileSync(notUtf8, Buffer.from([0x41, 0x3d, 0x31, 0x0a, 0x42, 0x3d, 0xe9, 0x0a]));
    const tls = (name: string) => join(import.meta.dirname, 'support', 'tls', name);
    const dockerConfig = file('config.json', '{"auths":{"registry.example":{"auth":"YWRhOnB3"}}}\n');
    const brokenConfig = file('broken.json', '{"auths":{"registry.example":{"auth":"YWRhOnB3"}}\n');
    // The objects themselves, as kubectl's generators make them.
    for (const args of [
      ['secret', 'docker-registry', 'reg', '--docker-username=ada', '--docker-password=p@ss:wörd<&>', '--docker-email=ada@example.com'],
      ['secret', 'docker-registry', 'reg', '--docker-server=registry.example:5000', '--docker-username=ada', '--docker-password=pw'],
      ['secret', 'docker-registry', 'reg', `--from-file=${dockerConfig}`],
      ['secret', 'tls', 'web-tls', `--cert=${tls('web.crt')}`, `--key=${tls('web.key')}`],
      ['secret', 'tls', 'ec-tls', `--cert=${tls('ec.crt')}`, `--key=${tls('ec.key')}`],
      ['configmap', 'c', `--from-env-file=${envFile}`, `--from-env-file=${moreEnv}`],
      ['secret', 'generic', 's', `--from-env-file=${envFile}`, `--from-env-file=${moreEnv}`],
      ['configmap', 'c', '--from-literal=mode=fast', `--from-file=${props}`, `--from-file=settings=${props}`],
      ['secret', 'generic', 's', '--from-literal=password=hunter2', `--from-file=${props}`],
      ['secret', 'generic', 't', '--type=kubernetes.io/basic-auth', '--from-literal=username=u'],
      ['namespace', 'n'],
      ['deployment', 'd', '--image=registry.example/team/nginx:1.27', '--replicas=2', '--port=80'],
      ['deployment', 'e', '--image=nginx', '--image=busybox:1.36', '--port=8080'],
      ['service', 'clusterip', 'sv', '--tcp=80:8080', '--tcp=443'],
      ['service', 'clusterip', 'headless', '--clusterip=None'],
      ['service', 'nodeport', 'np', '--tcp=80:http', '--node-port=30080'],
      ['service', 'loadbalancer', 'lb', '--tcp=5678:8080'],
      ['service', 'externalname', 'ex', '--external-name=db.example.com'],
    ]) {
      const theirs = await kubectl('create', ...args, '--dry-run=client', '-o', 'json');
      expect(theirs.code, theirs.stderr).toBe(0);
      expect(JSON.parse(await ok('create', ...args, '--dry-run=client', '-o', 'json')), args.join(' ')).toEqual(JSON.parse(theirs.stdout));
    }
    const theirPod = await kubectl('run', 'p', '--image=nginx', '--port=80', '--labels=app=p', '--env=A=1', '--restart=Never', '--dry-run=client', '-o', 'json', '--', 'sleep', '5');
    expect(JSON.parse(await ok('run', 'p', '--image=nginx', '--port=80', '--labels=app=p', '--env=A=1', '--restart=Never', '--dry-run=client', '-o', 'json', '--', 'sleep', '5'))).toEqual(
      JSON.parse(theirPod.stdout),
    );
    // And refuse what kubectl refuses, in its words.
    for (const args of [
      ['configmap', 'c', '--from-literal=a=1', '--from-literal=a=2'],
      ['configmap', 'c', '--from-literal=novalue'],
      ['configmap', 'c', '--from-literal=bad key=1'],
      ['configmap', 'c', `--from-file=${join(dir, 'nope')}`],
      ['secret', 'generic', 's', '--from-literal=a=1', '--from-literal=a=2'],
      ['configmap', 'c', `--from-env-file=${moreEnv}`, '--from-literal=a=1'],
      ['secret', 'generic', 's', `--from-env-file=${moreEnv}`, `--from-file=${props}`],
      ['configmap', 'c', `--from-env-file=${moreEnv}`, `--from-env-file=${clashingEnv}`],
      ['secret', 'generic', 's', `--from-env-file=${moreEnv}`, `--from-env-file=${clashingEnv}`],
      ['configmap', 'c', `--from-env-file=${dir}`],
      ['secret', 'generic', 's', `--from-env-file=${dir}`],
      ['configmap', 'c', `--from-env-file=${join(dir, 'nope.env')}`],
      ['configmap', 'c', `--from-env-file=${badEnv}`],
      ['secret', 'generic', 's', `--from-env-file=${notUtf8}`],
      ['secret', 'docker-registry', 'r', '--docker-username=ada'],
      ['secret', 'docker-registry', 'r', `--from-file=${dir}`],
      ['secret', 'tls', 't', `--cert=${tls('web.crt')}`],
      ['secret', 'tls', 't', `--cert=${tls('web.crt')}`, `--key=${tls('other.key')}`],
      ['secret', 'tls', 't', `--cert=${tls('web.crt')}`, `--key=${tls('ec.key')}`],
      ['secret', 'tls', 't', `--cert=${tls('web.key')}`, `--key=${tls('web.key')}`],
      ['secret', 'tls', 't', `--cert=${tls('web.crt')}`, `--key=${tls('nope.key')}`],
      ['service', 'nodeport', 'x'],
      ['service', 'clusterip', 'x', '--tcp=99999'],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl('create', ...args, '--dry-run=client'), minikctl('create', ...args, '--dry-run=client')]);
      expect({ code: ours.code, stderr: ours.stderr }, args.join(' ')).toEqual({ code: theirs.code, stderr: theirs.stderr });
    }
    // And what the server refuses, each generator in its own words.
    for (const args of [
      ['configmap', 'flags'],
      ['secret', 'generic', 'pw'],
      ['namespace', 'flags-ns'],
      ['deployment', 'Bad_Name', '--image=nginx'],
      ['service', 'nodeport', 'Bad_Name', '--tcp=80'],
      ['secret', 'tls', 'Bad_Name', `--cert=${tls('web.crt')}`, `--key=${tls('web.key')}`],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl('create', ...args), minikctl('create', ...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    // And as the server keeps them: kubectl sends protobuf, whose zeros Go's JSON would leave out.
    expect((await kubectl('-n', 'flags-ns', 'create', 'deployment', 'kgen', '--image=nginx:1.27', '--replicas=2', '--port=80')).code).toBe(0);
    const spec = async (kind: string, name: string) => JSON.stringify(JSON.parse(await ok('-n', 'flags-ns', 'get', kind, name, '-o', 'json')).spec).replaceAll(`"${name}"`, '"NAME"');
    expect(await spec('deploy', 'gen')).toBe(await spec('deploy', 'kgen'));
    for (const [i, args] of [
      ['service', 'nodeport', '--tcp=80:http', '--tcp=81'],
      ['service', 'clusterip', '--clusterip=None'],
    ].entries()) {
      const theirRun = await kubectl('-n', 'flags-ns', 'create', ...args.slice(0, 2), `theirs${i}`, ...args.slice(2));
      expect(theirRun.code, theirRun.stderr).toBe(0);
      await ok('-n', 'flags-ns', 'create', ...args.slice(0, 2), `ours${i}`, ...args.slice(2));
      // The cluster IPs and node ports the server chose differ; the rest must not.
      const [ours, theirs] = await Promise.all([spec('svc', `ours${i}`), spec('svc', `theirs${i}`)]);
      const chosen = (text: string) => text.replace(/"clusterIPs?":(\["[^"]*"\]|"[^"]*")/g, '"IP"').replace(/"nodePort":\d+/g, '"nodePort":0');
      expect(chosen(ours), args.join(' ')).toBe(chosen(theirs));
    }
    // A docker config that is not JSON is the server's to refuse, and both say so alike.
    const [theirBroken, ourBroken] = await Promise.all([
      kubectl('-n', 'flags-ns', 'create', 'secret', 'docker-registry', 'kbroken', `--from-file=${brokenConfig}`),
      minikctl('-n', 'flags-ns', 'create', 'secret', 'docker-registry', 'mbroken', `--from-file=${brokenConfig}`),
    ]);
    expect(theirBroken.stderr).toBe(
      'error: failed to create secret Secret "kbroken" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input\n',
    );
    expect({ ...ourBroken, stderr: ourBroken.stderr.replace('mbroken', 'kbroken') }).toEqual(theirBroken);
    // ConfigMaps and Secrets, their data and type as kept.
    for (const [i, args] of [
      ['secret', 'tls', `--cert=${tls('web.crt')}`, `--key=${tls('web.key')}`],
      ['secret', 'docker-registry', '--docker-username=ada', '--docker-password=pw'],
      ['configmap', '--from-literal=mode=fast', `--from-file=${props}`],
      ['secret', 'generic', '--from-literal=password=hunter2', '--type=kubernetes.io/basic-auth'],
    ].entries()) {
      const at = args[0] === 'secret' ? 2 : 1;
      const [kind, ours, theirs] = [args[0]!, `m${args[0]}${i}`, `k${args[0]}${i}`];
      expect((await kubectl('-n', 'flags-ns', 'create', ...args.slice(0, at), theirs, ...args.slice(at))).code).toBe(0);
      await ok('-n', 'flags-ns', 'create', ...args.slice(0, at), ours, ...args.slice(at));
      const kept = async (name: string) => {
        const { metadata: _, ...rest } = JSON.parse(await ok('-n', 'flags-ns', 'get', kind, name, '-o', 'json'));
        return rest;
      };
      expect(await kept(ours), args.join(' ')).toEqual(await kept(theirs));
    }
    // Pods of `run`, and the Services of `expose`, the same way.
    const podArgs = ['--image=nginx:1.27', '--port=80', '--labels=app=runner', '--env=A=1', '--restart=Never', '--', 'sleep', '5'];
    expect((await kubectl('-n', 'flags-ns', 'run', 'krun', ...podArgs)).code).toBe(0);
    await ok('-n', 'flags-ns', 'run', 'mrun', ...podArgs);
    const podSpec = async (name: string) => {
      const { nodeName: _, ...rest } = JSON.parse(await ok('-n', 'flags-ns', 'get', 'pod', name, '-o', 'json')).spec;
      return JSON.stringify(rest).replaceAll(`"${name}"`, '"NAME"');
    };
    expect(await podSpec('mrun')).toBe(await podSpec('krun'));
    expect((await kubectl('-n', 'flags-ns', 'expose', 'deployment', 'gen', '--name=kexposed', '--port=8080', '--target-port=80')).code).toBe(0);
    await ok('-n', 'flags-ns', 'expose', 'deployment', 'gen', '--name=mexposed', '--port=8080', '--target-port=80');
    const exposed = async (name: string) => JSON.stringify({ ...JSON.parse(await ok('-n', 'flags-ns', 'get', 'svc', name, '-o', 'json')).spec, clusterIP: '', clusterIPs: [] });
    expect(await exposed('mexposed')).toBe(await exposed('kexposed'));
  });

  it.skipIf(!hasKubectl)('prints and dry-runs what run, expose and set image make or change as kubectl does, in the namespace -n names', async () => {
    await ok('create', 'namespace', 'made-ns');
    await ok('-n', 'made-ns', 'create', 'deployment', 'web', '--image=nginx:1', '--port=80');
    const manifest = file('drycm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: drycm}\ndata: {a: "1"}\n');
    const image = ['-n', 'made-ns', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'];
    // None of these changes anything: each tool sees the same cluster, so each must print the same.
    for (const args of [
      ['create', 'deployment', 'd', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
      ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--dry-run=client', '-o', 'yaml'],
      ['create', 'service', 'clusterip', 's', '--tcp=80', '--dry-run=client', '-o', 'yaml'],
      ['create', 'namespace', 'n', '--dry-run=client', '-o', 'yaml'],
      ['run', 'p', '--image=nginx', '--dry-run=client', '-o', 'yaml'],
      ['run', 'p', '--image=nginx', '--dry-run=server'],
      ['run', 'p', '--image=nginx', '--dry-run=later'],
      ['expose', 'deployment', 'web', '--port=8080', '--target-port=80', '--type=NodePort', '--dry-run=client', '-o', 'yaml'],
      ['expose', 'deployment', 'web', '--dry-run=client'],
      ['expose', 'deployment', 'web', '--dry-run=server'],
      ['expose', 'deployment', 'web', '--dry-run=client', '-o', 'name'],
      ['set', 'image', 'deployment/web', 'nginx=nginx:2', '--dry-run=server'],
      ['set', 'image', 'deployment/web', 'nginx=nginx:2', '--dry-run=client', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'],
      ['set', 'image', 'deployment/web', 'nginx=nginx:2', '--dry-run=server', '-o', 'name'],
      ['set', 'image', 'deployment/web', 'nginx=nginx:2', '--dry-run=bogus'],
      // Already the image asked for: nothing to say.
      ['set', 'image', 'deployment/web', 'nginx=nginx:1'],
      ['set', 'image', 'deployment/web', 'nginx=nginx:1', '--dry-run=client', '-o', 'yaml'],
      ['rollout', 'history', 'deployment/web', '--revision=1'],
      ['scale', 'deployment/web', '--replicas=4', '--dry-run=client'],
      ['scale', 'deployment/web', '--replicas=4', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}'],
      ['scale', 'deployment/web', '--replicas=4', '--dry-run=none', '--current-replicas=3'],
      ['label', 'deployment/web', 'tier=web', '--dry-run=client', '-o', 'jsonpath={.metadata.labels}'],
      ['label', 'deployment/web', 'tier=web', '--dry-run=server'],
      ['annotate', 'deployment/web', 'note=hi', '--dry-run=client'],
      ['annotate', 'deployment/web', 'note=hi', '--dry-run=server', '-o', 'name'],
      ['create', '-f', manifest, '--dry-run=client', '-o', 'name'],
      ['create', '-f', manifest, '--dry-run=server'],
      ['apply', '-f', manifest, '--dry-run=client'],
      ['apply', '-f', manifest, '--dry-run=server', '-o', 'jsonpath={.data.a}'],
      ['apply', '-f', manifest, '--dry-run=later'],
      ['create', 'configmap', 'gen', '--from-literal=a=b', '--dry-run=client', '-o', 'name'],
      ['create', 'configmap', 'gen', '-o', 'name', '--dry-run=server'],
      ['delete', 'deploy', 'web', '--dry-run=server'],
      ['delete', 'cm', 'nobody', '--dry-run=client', '-o', 'name'],
      ['delete', 'cm', 'nobody', '--dry-run=client', '-o', 'yaml'],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl('-n', 'made-ns', ...args), minikctl('-n', 'made-ns', ...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    expect(await ok(...image)).toBe('nginx:1');
    expect(await ok('-n', 'made-ns', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas} {.metadata.labels.tier}{.metadata.annotations.note}')).toBe('1 ');
    expect(await ok('-n', 'made-ns', 'label', 'deployment/web', 'tier=web', '-o', 'jsonpath={.metadata.labels.tier}')).toBe('web');
    expect((await minikctl('-n', 'made-ns', 'get', 'svc,cm', '-o', 'name')).stdout).toBe('');
    expect((await minikctl('-n', 'made-ns', 'get', 'pod', 'p')).code).toBe(1);
    // And once for real: -o prints what the server made or changed.
    expect(await ok('-n', 'made-ns', 'set', 'image', 'deployment/web', 'nginx=nginx:2', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).toBe('nginx:2');
    expect(await ok('-n', 'made-ns', 'expose', 'deployment', 'web', '-o', 'name')).toBe('service/web\n');
    expect(await ok('-n', 'made-ns', 'run', 'p', '--image=nginx', '-o', 'jsonpath={.metadata.namespace} {.metadata.uid}')).toMatch(/^made-ns [0-9a-f-]{36}$/);
  });

  it.skipIf(!hasKubectl)('patches as kubectl does, word for word and stream for stream', async () => {
    const patchFile = file('replicas.yaml', 'spec:\n  replicas: 2\n');
    // Each step runs on twin Deployments, one changed by kubectl, the other by minikctl.
    const steps = (d: string) => [
      ['create', 'deployment', d, '--image=nginx:1'],
      ['patch', 'deploy', d, '-p', '{"spec":{"replicas":2}}'],
      ['patch', 'deploy', d, '-p', '{"spec":{"replicas":2}}'],
      ['patch', 'deploy', d, '--type=merge', '-p', '{"metadata":{"labels":{"tier":"web"}}}'],
      ['patch', 'deploy', d, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":3}]'],
      ['patch', 'deploy', d, '--type=json', '-p', '[{"op":"bogus"}]'],
      ['patch', 'deploy', d, '-p', 'notjson'],
      ['patch', 'deploy', d],
      ['patch', 'deploy', d, '--type=foo', '-p', '{}'],
      ['patch', 'deploy', d, '-p', '{spec:{replicas:2}}'],
      ['patch', 'deploy', d, '--type=merge', '-p', '[]'],
      ['patch', 'deploy', d, '-p', '{"spec":{"replicas":-1}}'],
      ['patch', 'deploy', d, '-p', '{"spec":{"replicas":5}}', '--dry-run=client'],
      ['patch', 'deploy', d, '-p', '{"spec":{"replicas":5}}', '--dry-run=server', '-o', 'jsonpath={.spec.replicas}'],
      ['patch', 'deploy', d, '--subresource=scale', '-p', '{"spec":{"replicas":4}}'],
      ['patch', 'deploy', d, '-p', 'spec:\n  replicas: 1'],
      ['patch', 'deploy', d, `--patch-file=${patchFile}`, '-o', 'jsonpath={.spec.replicas}'],
      ['patch', 'deploy', `${d}-nope`, '-p', '{}'],
      ['get', 'deploy', d, '-o', 'jsonpath={.spec.replicas} {.metadata.labels.tier}'],
    ];
    await twins(steps, 'patched-k', 'patched-m');
  });

  it.skipIf(!hasKubectl)('taints nodes as kubectl does, word for word, node-1 by kubectl and node-2 by minikctl', async () => {
    const steps = [
      'taint nodes NODE dedicated=gpu:PreferNoSchedule',
      'taint nodes NODE dedicated=gpu:PreferNoSchedule',
      'taint nodes NODE dedicated=cpu:PreferNoSchedule --overwrite',
      'taint nodes NODE k:PreferNoSchedule k2=v:PreferNoSchedule',
      'taint nodes NODE dedicated:PreferNoSchedule-',
      'taint nodes NODE dedicated-',
      'taint nodes NODE q- r:NoExecute-',
      'taint nodes NODE a=b:Bogus',
      'taint nodes NODE a=b:NoSchedule a=c:NoSchedule',
      'taint nodes NODE a=b:NoSchedule a-',
      'taint nodes NODE a=b',
      'taint nodes NODE bad',
      'taint nodes NODE z=1:NoSchedule --dry-run=client',
      'taint nodes NODE z=1:NoSchedule --dry-run=server -o jsonpath={.spec.taints}',
      'taint pods x a=b:NoSchedule',
      'get node NODE -o jsonpath={.spec.taints}',
      'taint nodes NODE k- k2-',
      'get node NODE -o jsonpath={.spec.taints}',
    ];
    try {
      for (const step of steps) {
        const [k, m] = [await kubectl(...step.replaceAll('NODE', 'node-1').split(' ')), await minikctl(...step.replaceAll('NODE', 'node-2').split(' '))];
        const same = (r: Run, node: string) => ({ code: r.code, stdout: r.stdout.replaceAll(node, 'NODE'), stderr: r.stderr.replaceAll(node, 'NODE').replaceAll('kubectl', 'minikctl') });
        expect(same(m, 'node-2'), step).toEqual(same(k, 'node-1'));
      }
    } finally {
      // The nodes go back as they were, for the tests after this one.
      await Promise.all(['node-1', 'node-2'].map((n) => minikctl('patch', 'node', n, '--type=merge', '-p', '{"spec":{"taints":null}}')));
    }
  });

  it.skipIf(!hasKubectl)('waits as kubectl waits, and for a deletion as it happens', async () => {
    await ok('create', 'deployment', 'waited', '--image=nginx:1', '--replicas=2');
    await ok('wait', '--for=condition=Available', 'deploy/waited', '--timeout=60s');
    const [pod] = (await ok('get', 'pods', '-l', 'app=waited', '-o', 'name')).trim().split('\n');
    for (const args of [
      ['wait', '--for=condition=Available=True', 'deploy/waited'],
      ['wait', '--for=condition=ready', pod!],
      ['wait', '--for=jsonpath={.status.phase}=Running', pod!],
      ['wait', '--for=jsonpath=.status.podIP', pod!],
      ['wait', '--for=condition=Ready', 'pod', '-l', 'app=waited'],
      ['wait', '--for=condition=Bogus', pod!, '--timeout=1s'],
      ['wait', '--for=condition=Ready=false', pod!, '--timeout=0'],
      ['wait', '--for=delete', pod!, '--timeout=0'],
      ['wait', '--for=delete', 'pod/nobody', '--timeout=1s'],
      ['wait', '--for=create', 'pod/nobody', '--timeout=0'],
      ['wait', '--for=condition=Ready', 'pod/nobody', '--timeout=1s'],
      ['wait', '--for=condition=Ready', 'pod', '-l', 'app=nothing', '--timeout=1s'],
      ['wait', '--for=bogus', pod!],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl(...args), minikctl(...args)]);
      // kubectl's watch library may log a warning of its own when a wait's timeout ends a watch within a second.
      const klog = /^[IWE]\d{4} [\d:.]+ +\d+ \S+\] .*\n/gm;
      const lines = (r: Run) => ({ ...r, stdout: r.stdout.split('\n').sort().join('\n'), stderr: r.stderr.replace(klog, '') });
      expect(lines(ours), args.join(' ')).toEqual(lines(theirs));
    }
    // What needs a process in a container: the server says why there is none, to both alike.
    const name = pod!.slice('pod/'.length);
    for (const args of [
      ['exec', name, '--', 'ls'],
      ['exec', '-i', 'deploy/waited', '--', 'sh'],
      ['exec', name],
      ['exec', 'nobody', '--', 'ls'],
      ['port-forward', pod!, '18080:80'],
      ['port-forward', 'pod/nobody', '18080:80'],
      ['cp', `${name}:/etc/hosts`, join(dir, 'hosts')],
      ['attach', 'nobody'],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl(...args), minikctl(...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    const waiting = minikctl('wait', '--for=delete', pod!, '--timeout=30s');
    await ok('delete', pod!, '--wait=false');
    expect(await waiting).toEqual({ code: 0, stdout: `${pod} condition met\n`, stderr: '' });
  });

  it.skipIf(!hasKubectl)('replaces as kubectl does, word for word, --force too', async () => {
    const manifest = (name: string, a: string) => file(`${name}.yaml`, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {a: "${a}"}\n`);
    const steps: Array<[string, string[]]> = [
      ['1', ['replace', '-f', 'FILE']],
      ['1', ['create', '-f', 'FILE']],
      ['2', ['replace', '-f', 'FILE']],
      ['3', ['replace', '-f', 'FILE', '-o', 'jsonpath={.data.a}']],
      ['4', ['replace', '-f', 'FILE', '--dry-run=client']],
      ['4', ['replace', '-f', 'FILE', '--dry-run=server', '-o', 'jsonpath={.data.a}']],
      ['5', ['replace', '--force', '-f', 'FILE']],
      ['5', ['replace', '--force', '-f', 'FILE', '--dry-run=client']],
      ['5', ['replace', 'cm', 'NAME']],
      ['5', ['get', 'cm', 'NAME', '-o', 'jsonpath={.data.a}']],
    ];
    for (const [a, args] of steps) {
      const [kf, mf] = [manifest('replaced-k', a), manifest('replaced-m', a)];
      const [k, m] = [
        await kubectl(...args.map((x) => x.replace('FILE', kf).replace('NAME', 'replaced-k'))),
        await minikctl(...args.map((x) => x.replace('FILE', mf).replace('NAME', 'replaced-m'))),
      ];
      const same = (r: Run, name: string, f: string) => ({ code: r.code, stdout: r.stdout.replaceAll(f, 'F').replaceAll(name, 'N'), stderr: r.stderr.replaceAll(f, 'F').replaceAll(name, 'N') });
      expect(same(m, 'replaced-m', mf), args.join(' ')).toEqual(same(k, 'replaced-k', kf));
    }
  });

  it.skipIf(!hasKubectl)('labels and annotates as kubectl does, word for word and stream for stream', async () => {
    // Each step runs on twin ConfigMaps, one changed by kubectl, the other by minikctl.
    const steps = (cm: string) => [
      ['create', 'configmap', cm, '--from-literal=a=1'],
      ['label', 'configmap', cm, 'tier=web', 'zone=a'],
      ['label', 'configmap', cm, 'tier=db'],
      ['label', 'configmap', cm, 'tier-'],
      ['label', 'configmap', cm, 'tier-', 'nope-'],
      ['label', 'configmap', cm, 'zone=b', 'gone-'],
      ['label', 'configmap', cm, 'zone=bb', '--overwrite'],
      ['label', 'configmap', cm, 'zone-', '--overwrite'],
      ['label', 'configmap', cm, 'Bad_Key!=x'],
      ['annotate', 'configmap', cm, 'note=hi'],
      ['annotate', 'configmap', cm, 'note-'],
      ['annotate', 'configmap', cm, 'note-', 'x=1'],
      ['annotate', 'configmap', cm, 'bad key=x'],
    ];
    await twins(steps, 'labelled-k', 'labelled-m');
  });

  it.skipIf(!hasKubectl)("answers get's and delete's odd requests as kubectl does, stream for stream", async () => {
    for (const args of [
      ['get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.metadata}'],
      ['get', 'deploy', '-l', '==='],
      ['get', 'pods', '--field-selector', 'spec.nope=x'],
      ['delete', 'deploy'],
      ['get', 'nope'],
      ['explain', 'deployment.spec.replicas'],
      ['explain', 'pods.spec.nope'],
      ['explain', 'deployment.spec.constructor'],
      ['get', 'deploy', '-A', '-o', 'custom-columns=NAME:.metadata.name,IMAGES:.spec.template.spec.containers[*].image,SEL:{.spec.selector.matchLabels},NONE:.status.nope'],
      ['get', 'pods', '-o', 'custom-columns=N:metadata.name,PORTS:.spec.containers[0].ports', '--no-headers'],
      ['get', 'cm', '-l', 'nothing=here', '-o', 'custom-columns=N:.metadata.name'],
      ['get', 'cm', '-o', 'custom-columns=NAME'],
      ['api-versions'],
      ['describe'],
      ['label', 'pod'],
      ['annotate'],
      ['rollout', 'status'],
      ['rollout', 'restart'],
      ['delete', 'pods', '--all', '-l', 'app=x'],
      ['label', 'pods', '--all', '-l', 'a=b', 'x=y'],
      ['set', 'image', 'deploy', '--all', '-l', 'a=b', 'x=y'],
      ['taint', 'nodes', '--all', '-l', 'a=b', 'k=v:NoSchedule'],
      ['wait', '--for=condition=Ready', 'pods', '--all', '-l', 'a=b', '--timeout=0'],
      ['get', '--raw', '/healthz'],
      ['get', '--raw', '/api/v1/namespaces/default/pods/nope'],
      ['get', 'pods', '--raw', '/healthz'],
      ['get', 'pods', 'nope', 'nope2', '--ignore-not-found'],
      ['get', 'deploy', 'web', 'nope', '--ignore-not-found', '-o', 'name'],
      ['config', 'get-clusters'],
      ['config', 'get-users'],
      ['logs', 'nope'],
      ['logs', 'deploy/nope'],
      ['logs', '-l', 'app=nothing'],
      ['scale', 'deploy', 'nope', '--replicas=1'],
      ['explain', 'nope'],
      ['top', 'pod', 'nope'],
      ['events', '--types=Bogus'],
      ['events', '--types=warning', '--for', 'deployment/nobody'],
      // An empty list: only a table says "No resources found".
      ['get', 'pods,svc', '-l', 'nothing=here', '-o', 'name'],
      ['get', 'pods', '-l', 'nothing=here', '-o', 'jsonpath={.items}'],
      ['get', 'pods', '-l', 'nothing=here', '-o', 'yaml'],
      ['get', 'pods', '-l', 'nothing=here'],
    ]) {
      const [k, m] = await Promise.all([kubectl(...args), minikctl(...args)]);
      // Where kubectl names itself ("Use \"kubectl api-resources\""), minikctl names itself.
      expect({ code: m.code, stdout: m.stdout, stderr: m.stderr }, args.join(' ')).toEqual({ code: k.code, stdout: k.stdout, stderr: k.stderr.replaceAll('"kubectl ', '"minikctl ') });
    }
  });

  it('gets with short names, several kinds, kind/name, selectors and every -o format', async () => {
    await eventually('solo to run', async () => ((await ok('get', 'po', 'solo', '-o', 'jsonpath={.status.phase}')) === 'Running' ? true : undefined));
    const [names, byLabel, data, range, yaml, json, all, labels, leases, none] = await Promise.all([
      ok('get', 'po/solo', 'svc/web', '-o', 'name'),
      ok('get', 'deploy', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'),
      ok('get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}'),
      ok('get', 'pods', '--field-selector', 'metadata.name=solo', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\n"}{end}'),
      ok('get', 'cm', 'settings', '-o', 'yaml'),
      ok('get', 'po,svc', '-o', 'json'),
      ok('get', 'all'),
      ok('get', 'po', 'solo', '--show-labels'),
      ok('get', 'lease', '-A'),
      minikctl('get', 'rs', '-l', 'app=nothing'),
    ]);
    expect(names).toBe('pod/solo\nservice/web\n');
    expect(byLabel).toBe('web');
    expect(data).toBe('fast');
    expect(range).toBe('solo\n');
    expect(yaml).toMatch(/^apiVersion: v1\ndata:\n {2}mode: fast\nkind: ConfigMap\nmetadata:\n/);
    expect(yaml).toMatch(/creationTimestamp: "\d{4}-/);
    const list = JSON.parse(json);
    expect(list).toMatchObject({ kind: 'List', apiVersion: 'v1' });
    // Every pod (the Deployments' too), then the Services.
    const kinds = list.items.map((i: { kind: string; metadata: { name: string } }) => `${i.kind}/${i.metadata.name}`) as string[];
    expect(kinds).toEqual(expect.arrayContaining(['Pod/solo', 'Service/web']));
    const firstService = kinds.findIndex((k) => k.startsWith('Service/'));
    expect(kinds.slice(0, firstService).every((k) => k.startsWith('Pod/')) && kinds.slice(firstService).every((k) => k.startsWith('Service/'))).toBe(true);
    expect(all).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE\n(pod\/\S+ .*\n)*pod\/solo +1\/1 +Running /);
    // Every cluster's kubernetes Service comes first, on the first IP of the range.
    expect(all).toMatch(/\n\nNAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nservice\/kubernetes +ClusterIP +10\.96\.0\.1 +<none> +443\/TCP +\S+\nservice\/web +ClusterIP /);
    expect(all).toMatch(/\n\nNAME +READY +UP-TO-DATE +AVAILABLE +AGE\n(deployment\.apps\/\S+ .*\n)*deployment\.apps\/web /);
    expect(all).toMatch(/\n\nNAME +DESIRED +CURRENT +READY +AGE\n(replicaset\.apps\/\S+ .*\n)*replicaset\.apps\/web-\w+ +2 +2 +2 /);
    expect(labels).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +LABELS\nsolo +1\/1 +Running +0 +\S+ +app=solo\n$/);
    expect(leases).toMatch(/^NAMESPACE +NAME +HOLDER +AGE\nkube-node-lease +node-1 +node-1 /);
    expect(none).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(await minikctl('get', 'rs', '-l', 'app=nothing', '-A')).toEqual({ code: 0, stdout: '', stderr: 'No resources found\n' });
  });

  it.skipIf(!hasKubectl)('prints the same get headers and rows as kubectl', async () => {
    // Rows compared while nothing moves: every pod Ready.
    await eventually('every pod to be ready', async () => ((await ok('get', 'pods', '--no-headers')).split('\n').filter(Boolean).every((l) => /^\S+ +1\/1 +Running /.test(l)) ? true : undefined));
    const firstColumns = (text: string) => text.split('\n').map((l) => l.split(/\s{3,}/).slice(0, 2).join(' | '));
    await Promise.all(
      [
        ['pods'],
        ['nodes'],
        ['deploy'],
        ['pods', '-o', 'wide'],
        ['svc', '-o', 'wide'],
        ['ns'],
        ['ns', '-L', 'kubernetes.io/metadata.name,nope', '--show-labels'],
        ['pods', '-o', 'wide', '--sort-by=.status.podIP'],
        ['pods', '-A', '--sort-by', '{.metadata.uid}', '-L', 'app'],
      ].map(async (args) => {
        const [mine, theirs] = await Promise.all([ok('get', ...args), kubectl('get', ...args)]);
        expect(mine.split('\n')[0], args.join(' ')).toBe(theirs.stdout.split('\n')[0]);
        expect(firstColumns(mine), args.join(' ')).toEqual(firstColumns(theirs.stdout));
      }),
    );
    for (const args of [
      ['pods', '--sort-by=.metadata.name', '-o', 'name'],
      ['ns', '--sort-by=.metadata.uid', '-o', 'custom-columns=NAME:.metadata.name,UID:.metadata.uid'],
      ['pods', '-o', 'name', '--sort-by=.spec.nope'],
      ['pods', '-o', 'name', '--sort-by={.bad'],
    ]) {
      const [ours, theirs] = await Promise.all([minikctl('get', ...args), kubectl('get', ...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    const [mine, theirs] = await Promise.all([ok('explain', 'deploy.spec.replicas'), kubectl('explain', 'deploy.spec.replicas')]);
    expect(mine).toBe(theirs.stdout);
    for (const args of [['api-resources'], ['api-resources', '-o', 'wide']]) {
      const [myResources, theirResources] = await Promise.all([ok(...args), kubectl(...args)]);
      expect(myResources, args.join(' ')).toBe(theirResources.stdout);
    }
  });

  it("describes a pod with its events and the scheduler's explanation", async () => {
    const text = await eventually('the Scheduled event', async () => {
      const t = await ok('describe', 'pod', 'solo');
      return /Normal +Scheduled +\S+ +default-scheduler +Successfully assigned default\/solo to node-\d/.test(t) ? t : undefined;
    });
    expect(text).toMatch(/^Name: +solo\nNamespace: +default\nService Account: +default\nNode: +node-\d\//);
    expect(text).toMatch(/\nContainers:\n {2}main:\n/);
    expect(text).toMatch(/\nScheduling:\n {2}Node +Fits +Score +Reasons\n {2}node-\d +true +\d+/);
    expect(text).toMatch(/\nEvents:\n {2}Type +Reason +Age +From +Message\n/);
    const [prefix, deploy, svc, node] = await Promise.all([ok('describe', 'po', 'sol'), ok('describe', 'deploy', 'web'), ok('describe', 'svc', 'web'), ok('describe', 'node', 'node-1')]);
    expect(prefix).toMatch(/^Name: +solo\n/);
    expect(deploy).toMatch(/\nReplicas: +2 desired \| /);
    expect(svc).toMatch(/\nSelector: +app=web\nType: +ClusterIP\n/);
    expect(node).toMatch(/\nNon-terminated Pods: +\(\d+ in total\)\n/);
  });

  it.skipIf(!hasKubectl)("shows a service's ready endpoints in kubectl describe, which reads EndpointSlices", async () => {
    const podIPs = (await ok('get', 'po', '-l', 'app=web', '-o', 'jsonpath={.items[*].status.podIP}')).split(' ').filter(Boolean);
    expect(podIPs.length).toBeGreaterThan(0);
    const text = await eventually('the endpoints in kubectl describe', async () => {
      const t = (await kubectl('describe', 'svc', 'web')).stdout;
      const listed = /\nEndpoints: +(\S+)\n/.exec(t)?.[1]?.split(',').map((e) => e.replace(/:80$/, '')).sort();
      return JSON.stringify(listed) === JSON.stringify([...podIPs].sort()) ? t : undefined;
    });
    expect(text).toMatch(/\nEndpoints: +10\./);
    const [mine, theirs] = await Promise.all([ok('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web'), kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web')]);
    expect(mine).toMatch(/^NAME +ADDRESSTYPE +PORTS +ENDPOINTS +AGE\nweb-\w{5} +IPv4 +80 +10\./);
    expect(mine.split('\n').map((l) => l.split(/\s{3,}/).slice(0, 4).join('|'))).toEqual(theirs.stdout.split('\n').map((l) => l.split(/\s{3,}/).slice(0, 4).join('|')));
  });

  it.skipIf(!hasKubectl)('describes with the same field labels as kubectl', async () => {
    const labels = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^[A-Z][\w -]*:/.test(l) && !l.startsWith('Scheduling:'))
        .map((l) => l.slice(0, l.indexOf(':')));
    await Promise.all(
      [['pod', 'solo'], ['deploy', 'web'], ['rs', '-l', 'app=web'], ['svc', 'web'], ['ep', 'web'], ['node', 'node-1'], ['ns', 'default'], ['lease', '-n', 'kube-node-lease', 'node-1'], ['cm', 'settings'], ['endpointslice', '-l', 'kubernetes.io/service-name=web'], ['sa', 'default']].map(async (args) => {
        const [mine, theirs] = await Promise.all([ok('describe', ...args), kubectl('describe', ...args)]);
        expect(labels(mine), args.join(' ')).toEqual(labels(theirs.stdout));
      }),
    );
  });

  it('scales through the scale subresource, and labels and annotates', async () => {
    const [scaled, notScalable, annotated] = await Promise.all([
      ok('scale', '--replicas=5', 'deploy/web'),
      minikctl('scale', '--replicas=2', 'pod/solo'),
      ok('annotate', 'svc', 'web', 'owner=class-3'),
    ]);
    expect(scaled).toBe('deployment.apps/web scaled\n');
    expect(notScalable.stderr).toBe('error: no scaler has been implemented for {"" "Pod"}\n');
    expect(annotated).toBe('service/web annotated\n');
    const [replicas, wrong, owner] = await Promise.all([
      ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}'),
      minikctl('scale', '--replicas=1', '--current-replicas=2', 'deploy', 'web'),
      ok('get', 'svc', 'web', '-o', "jsonpath={.metadata.annotations['owner']}"),
    ]);
    expect(replicas).toBe('5');
    expect(wrong).toMatchObject({ code: 1, stderr: 'error: Expected replicas to be 2, was 5\n' });
    expect(owner).toBe('class-3');

    expect(await ok('label', 'pods', 'solo', 'tier=front')).toBe('pod/solo labeled\n');
    const conflict = await minikctl('label', 'pods', 'solo', 'tier=back');
    expect(conflict).toMatchObject({ code: 1, stderr: "error: 'tier' already has a value (front), and --overwrite is false\n" });
    expect(await ok('label', 'po/solo', 'tier=back', '--overwrite')).toBe('pod/solo labeled\n');
    expect(await ok('get', 'po', '-l', 'tier=back', '-o', 'name')).toBe('pod/solo\n');
    // kubectl's word for a change that leaves the labels shorter, without --overwrite.
    expect(await ok('label', 'po', 'solo', 'tier-')).toBe('pod/solo unlabeled\n');
  });

  it.skipIf(!hasKubectl)("answers kubectl top with each node's and pod's simulated use, which annotations set", async () => {
    const nodes = await kubectl('top', 'nodes');
    expect(nodes.stdout).toMatch(/^NAME +CPU\(cores\) +CPU\(%\) +MEMORY\(bytes\) +MEMORY\(%\) *\nnode-1 +\d+m +\d+% +\d+Mi +\d+% *\nnode-2 /);
    // A server that sends no Table for a kind: NAME and AGE, as kubectl prints it.
    const [mine, theirs] = await Promise.all([ok('get', 'nodes.metrics.k8s.io'), kubectl('get', 'nodes.metrics.k8s.io')]);
    expect(mine.split('\n').map((l) => l.split(/\s+/)[0])).toEqual(theirs.stdout.split('\n').map((l) => l.split(/\s+/)[0]));
    expect(mine).toMatch(/^NAME +AGE\nnode-1 /);
    await ok('annotate', 'pod', 'solo', 'minik.dev/cpu-usage=900m', 'minik.dev/memory-usage=300Mi', '--overwrite');
    expect((await kubectl('top', 'pod', 'solo')).stdout).toMatch(/^NAME +CPU\(cores\) +MEMORY\(bytes\) *\nsolo +900m +300Mi *\n$/);
  });

  it.skipIf(!hasKubectl)('answers kubectl auth can-i and whoami (everything is allowed, to an anonymous caller) and create token', async () => {
    expect(await kubectl('auth', 'can-i', 'delete', 'pods')).toMatchObject({ code: 0, stdout: 'yes\n' });
    expect((await kubectl('auth', 'can-i', '--list')).stdout).toMatch(/^Resources +Non-Resource URLs +Resource Names +Verbs\n\*\.\* +\[\] +\[\] +\[\*\]\n/);
    expect((await kubectl('auth', 'whoami')).stdout).toMatch(/\nUsername +system:anonymous\nGroups +\[system:unauthenticated\]\n/);
    // And minikctl asks and answers alike.
    for (const args of [
      ['auth', 'can-i', 'get', 'pods'],
      ['auth', 'can-i', 'delete', 'deployments.apps', '-n', 'kube-system'],
      ['auth', 'can-i', 'get', '/healthz'],
      ['auth', 'can-i', 'get', 'pods/web', '--quiet'],
      ['auth', 'can-i', 'get', 'nope'],
      ['auth', 'can-i', '--list'],
      ['auth', 'whoami'],
      ['auth', 'whoami', '-o', 'yaml'],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl(...args), minikctl(...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    const token = (await kubectl('create', 'token', 'default', '--duration=15m')).stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:default:default', 'kubernetes.io': { namespace: 'default' } });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it.skipIf(!hasKubectl)('creates service accounts and their tokens as kubectl does', async () => {
    expect(await ok('create', 'serviceaccount', 'builder')).toBe('serviceaccount/builder created\n');
    for (const args of [
      ['create', 'sa', 'builder', '--dry-run=client', '-o', 'yaml'],
      ['create', 'serviceaccount', 'builder'],
      ['create', 'token', 'nobody'],
      ['create', 'token', 'builder', '--duration=1500ms'],
      ['create', 'token', 'builder', '--duration=-1h'],
      ['create', 'token', 'builder', '--duration=5m'],
      ['create', 'token', 'builder', '--audience='],
      ['create', 'token', 'builder', '--duration=20m', '--audience=api', '--audience=vault', '-o', 'jsonpath={.spec.expirationSeconds} {.spec.audiences}'],
      ['create', 'token', 'builder', '-o', 'name'],
      ['rollout', 'status', 'deploy/nobody', '--timeout=90s'],
    ]) {
      const [theirs, ours] = await Promise.all([kubectl(...args), minikctl(...args)]);
      expect(ours, args.join(' ')).toEqual(theirs);
    }
    // The token alone, no newline, as $(kubectl create token ...) expects it.
    const token = await ok('create', 'token', 'builder', '--duration=15m');
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.$/);
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'system:serviceaccount:default:builder', 'kubernetes.io': { namespace: 'default', serviceaccount: { name: 'builder' } } });
    expect(claims.exp - claims.iat).toBe(900);
  });

  it('watches: prints a row for each change', async () => {
    const child = spawn(process.execPath, [MINIKCTL, '--kubeconfig', cluster.kubeconfig, 'get', 'pods', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      await eventually('the table', async () => (out.startsWith('NAME ') ? true : undefined));
      await ok('apply', '-f', file('watched.yaml', pod('watched')));
      await eventually('rows for the new pod', async () => (/\nwatched +0\/1 +Pending/.test(out) && /\nwatched +1\/1 +Running/.test(out) ? true : undefined));
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('deletes by name, selector and file, with the cascade asked for', async () => {
    await ok('apply', '-f', file('doomed.yaml', `${pod('d1', '{group: doomed}')}---\n${pod('d2', '{group: doomed}')}`));
    const deleted = await Promise.all([
      ok('delete', 'po', '-l', 'group=doomed', '--wait=false'),
      ok('delete', 'cm', 'settings'),
      ok('delete', '-f', join(dir, 'watched.yaml'), '--now'),
    ]);
    expect(deleted).toEqual(['pod "d1" deleted\npod "d2" deleted\n', 'configmap "settings" deleted\n', 'pod "watched" deleted\n']);
    expect(await minikctl('get', 'po', 'watched')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): pods "watched" not found\n' });

    // Orphaning: the Deployment goes, its ReplicaSet and pods stay, no longer owned.
    const rsBefore = JSON.parse(await ok('get', 'rs', '-l', 'app=web', '-o', 'json')).items as Array<{ metadata: { name: string } }>;
    expect(rsBefore.length).toBeGreaterThan(0);
    expect(await ok('delete', 'deploy', 'web', '--cascade=orphan')).toBe('deployment.apps "web" deleted\n');
    expect(await minikctl('get', 'deploy', 'web')).toMatchObject({ code: 1, stderr: 'Error from server (NotFound): deployments.apps "web" not found\n' });
    const orphans = await eventually('the ReplicaSets to be released', async () => {
      const items = JSON.parse(await ok('get', 'rs', '-l', 'app=web', '-o', 'json')).items as Array<{ metadata: { name: string; ownerReferences?: unknown[] } }>;
      return items.every((rs) => !rs.metadata.ownerReferences?.length) ? items : undefined;
    });
    expect(orphans.map((rs) => rs.metadata.name).sort()).toEqual(rsBefore.map((rs) => rs.metadata.name).sort());
    expect(await ok('get', 'po', '-l', 'app=web', '-o', 'name')).toMatch(/^pod\/web-/);
    expect((await minikctl('delete', 'cm', 'nope')).stderr).toBe('Error from server (NotFound): configmaps "nope" not found\n');
  });

  it('switches contexts and namespaces in the kubeconfig it read', async () => {
    const kc = join(dir, 'kubeconfig');
    copyFileSync(cluster.kubeconfig, kc);
    const run = (...args: string[]) => exec(process.execPath, [MINIKCTL, ...args], { env: { KUBECONFIG: kc } });
    expect((await run('config', 'get-contexts')).stdout).toMatch(/^CURRENT +NAME +CLUSTER +AUTHINFO +NAMESPACE\n\* +minik +minik +minik +default\n$/);
    expect((await run('config', 'set-context', '--current', '--namespace=kube-node-lease')).stdout).toBe('Context "minik" modified.\n');
    expect((await run('get', 'lease', '-o', 'name')).stdout).toBe('lease.coordination.k8s.io/node-1\nlease.coordination.k8s.io/node-2\n');
    expect((await run('config', 'set-context', 'other', '--cluster=minik', '--user=minik', '--namespace=kube-system')).stdout).toBe('Context "other" created.\n');
    expect((await run('config', 'use-context', 'other')).stdout).toBe('Switched to context "other".\n');
    expect(readFileSync(kc, 'utf8')).toContain('current-context: other');
    expect((await run('config', 'view')).stdout).toMatch(/current-context: other\n/);
    expect((await run('get', 'lease', '-n', 'kube-node-lease', '-o', 'name')).stdout).toContain('node-1');
  });

  it('shows each request it makes with -v=6, and takes kubectl\'s -o=name', async () => {
    const quiet = await ok('get', 'ns', '-o', 'name');
    const loud = await minikctl('get', 'ns', '-v=6', '-o=name');
    expect(loud.stdout).toBe(quiet);
    expect(loud.stderr).toMatch(/^I\d{4} [\d:.]+ +\d+ rest\.ts\] Config loaded from file: {2}\S+\n/);
    expect(loud.stderr).toMatch(/\] GET http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\?limit=500 200 OK in \d+ milliseconds\n/);
    // A list a chunk at a time, as kubectl reads it: the same lines, from several requests.
    const chunked = await minikctl('get', 'ns', '-o', 'name', '--chunk-size=1', '-v=6');
    expect(chunked.stdout).toBe(quiet);
    expect(chunked.stderr.match(/\/api\/v1\/namespaces\?(continue=\S+&)?limit=1/g)).toHaveLength(quiet.trim().split('\n').length);
    const [theirs, ours] = await Promise.all([kubectl('get', 'ns', '--chunk-size=2', '-o', 'name'), minikctl('get', 'ns', '--chunk-size=2', '-o', 'name')]);
    expect(ours).toEqual(theirs);
  });

  it('says where the control plane answers', async () => {
    expect(await ok('cluster-info')).toBe(`Kubernetes control plane is running at ${cluster.url}\n\nTo further debug and diagnose cluster problems, use 'minikctl get events -A' and 'minik status'.\n`);
  });

  it("prints its version and the server's; the client's alone when the server is unreachable", async () => {
    expect(await ok('version')).toBe('Client Version: v1.32.0-minik\nServer Version: v1.32.0-minik\n');
    expect(JSON.parse(await ok('version', '-o', 'json'))).toMatchObject({ clientVersion: { major: '1', minor: '32' }, serverVersion: { major: '1', minor: '32' } });
    expect(await minikctl('-s', 'http://127.0.0.1:9', 'version')).toEqual({
      code: 1,
      stdout: 'Client Version: v1.32.0-minik\n',
      stderr: 'The connection to the server 127.0.0.1:9 was refused - did you specify the right host or port?\n',
    });
  });

  it('fails on bad input with one line, kubectl\'s words and a non-zero exit', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n');
    const cases: Array<[string[], RegExp]> = [
      [['frobnicate'], /^error: unknown command "frobnicate" for "minikctl"\n$/],
      [['get', 'foo'], /^error: the server doesn't have a resource type "foo"\n$/],
      [['apply', '-f', bad], new RegExp(`^error: error parsing ${bad.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: [^\\n]+\\n$`)],
      [['get', 'pods', 'nope'], /^Error from server \(NotFound\): pods "nope" not found\n$/],
      [['-s', 'http://127.0.0.1:9', 'get', 'pods'], /^The connection to the server 127\.0\.0\.1:9 was refused - did you specify the right host or port\?\n$/],
      [['get', 'pods', '-o', 'xml'], /^error: unable to match a printer suitable for the output format "xml"/],
    ];
    const runs = await Promise.all(cases.map(([args]) => minikctl(...args)));
    runs.forEach((r, i) => {
      const [args, message] = cases[i]!;
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  });
});

if (!hasKubectl && inCI) {
  describe('kubectl', () => {
    it('is installed, to compare minikctl with', () => {
      throw new Error(KUBECTL_MISSING);
    });
  });
}
