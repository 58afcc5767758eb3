import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { startCluster, type Cluster } from './support/cluster.js';
import { kubectlOnPath } from './support/kubectl.js';

// The point of these tests is the real client, so a missing kubectl must never pass silently in CI.
const KUBECTL_MISSING =
  'kubectl is not on the PATH: install the Debian package `kubernetes-client` (apt-get install kubernetes-client) to run test/kubectl.test.ts';
const hasKubectl = kubectlOnPath();
const inCI = process.env.CI === 'true';
if (!hasKubectl && !inCI) console.warn(`\n!!! SKIPPING test/kubectl.test.ts: ${KUBECTL_MISSING}\n`);

if (!hasKubectl && inCI) {
  describe('kubectl', () => {
    it('is installed', () => {
      throw new Error(KUBECTL_MISSING);
    });
  });
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Obj = {
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    finalizers?: string[];
    deletionTimestamp?: string;
  };
  spec?: Record<string, any>;
  status?: Record<string, any>;
  items?: Obj[];
  [k: string]: unknown;
};

describe.skipIf(!hasKubectl)('the real kubectl against minik', () => {
  let cluster: Cluster;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    cluster = await startCluster();
    dir = mkdtempSync(join(tmpdir(), 'minik-kubectl-'));
    // A private discovery cache: nothing leaks into ~/.kube, and no stale cache from an earlier port.
    env = { ...process.env, KUBECONFIG: cluster.kubeconfig, KUBECACHEDIR: join(dir, 'cache') };
  });

  afterAll(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function kubectl(...args: string[]): Promise<Run> {
    return new Promise((resolve) => {
      execFile('kubectl', args, { env, timeout: 20_000 }, (err, stdout, stderr) => {
        const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : -1) : 0;
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** Runs kubectl and insists on success, so a failure shows what kubectl said. */
  async function ok(...args: string[]): Promise<string> {
    const r = await kubectl(...args);
    expect(r, `kubectl ${args.join(' ')}\n${r.stderr}`).toMatchObject({ code: 0 });
    return r.stdout;
  }

  async function getJson(...args: string[]): Promise<Obj> {
    return JSON.parse(await ok('get', ...args, '-o', 'json')) as Obj;
  }

  function manifest(name: string, text: string): string {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  }

  function deployment(name: string, opts: { image?: string; labels?: Record<string, string>; namespace?: string; replicas?: number } = {}): string {
    const labels = { app: name, ...(opts.labels ?? {}) };
    return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${opts.namespace ? `  namespace: ${opts.namespace}\n` : ''}  labels: ${JSON.stringify(labels)}
spec:
  replicas: ${opts.replicas ?? 2}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: nginx
        image: ${opts.image ?? 'nginx:1.25'}
`;
  }

  async function applyDeployment(name: string, opts: Parameters<typeof deployment>[1] = {}): Promise<string> {
    return ok('apply', '-f', manifest(`${name}.yaml`, deployment(name, opts)));
  }

  const lines = (s: string) => s.split('\n').filter((l) => l.trim() !== '');
  const columns = (line: string | undefined) => (line ?? '').trim().split(/\s{2,}/);
  const names = (s: string) => lines(s).slice(1).map((l) => columns(l)[0]);

  describe('apply', () => {
    it('creates a Deployment, configures a changed one, and leaves an unchanged one alone', async () => {
      expect(lines(await applyDeployment('web'))).toEqual(['deployment.apps/web created']);
      let live = await getJson('deployment', 'web');
      expect(live.metadata.generation).toBe(1);
      expect(live.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('nginx:1.25');

      expect(lines(await applyDeployment('web', { image: 'nginx:1.26' }))).toEqual(['deployment.apps/web configured']);
      live = await getJson('deployment', 'web');
      expect(live.metadata.generation).toBe(2);
      expect(live.spec?.template.spec.containers[0].image).toBe('nginx:1.26');

      // kubectl sends no PATCH at all when its three-way diff is empty; that needs the server's
      // OpenAPI to say containers merge by name, or the defaulted live list differs from the file.
      expect(lines(await applyDeployment('web', { image: 'nginx:1.26' }))).toEqual(['deployment.apps/web unchanged']);
      expect((await getJson('deployment', 'web')).metadata.generation).toBe(2);
    });

    it('applies a multi-document file: ConfigMap, Secret and Service', async () => {
      const file = manifest(
        'multi.yaml',
        `apiVersion: v1
kind: ConfigMap
metadata: {name: settings, labels: {tier: b}}
data: {color: blue}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
data: {password: aHVudGVyMg==}
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`,
      );
      expect(lines(await ok('apply', '-f', file))).toEqual(['configmap/settings created', 'secret/creds created', 'service/web created']);
      expect((await getJson('configmap', 'settings')).data).toEqual({ color: 'blue' });
      const secret = await getJson('secret', 'creds');
      expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
      expect(secret.type).toBe('Opaque');
      const svc = await getJson('service', 'web');
      expect(svc.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080, protocol: 'TCP' })]);
      expect(lines(await ok('apply', '-f', file))).toEqual(['configmap/settings unchanged', 'secret/creds unchanged', 'service/web unchanged']);
    });

    it('fails in a missing namespace with NotFound', async () => {
      const r = await kubectl('apply', '-f', manifest('lost.yaml', deployment('lost', { namespace: 'nope' })));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/Error from server \(NotFound\): .*namespaces "nope" not found/);
    });

    it('prints every cause of an invalid Deployment', async () => {
      const file = manifest(
        'bad.yaml',
        `apiVersion: apps/v1
kind: Deployment
metadata: {name: bad}
spec:
  replicas: -1
  selector: {matchLabels: {app: bad}}
  template:
    metadata: {labels: {app: other}}
    spec: {containers: [{name: c, image: nginx}]}
`,
      );
      const r = await kubectl('apply', '-f', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('The Deployment "bad" is invalid:');
      expect(r.stderr).toContain('spec.replicas: Invalid value: -1: must be greater than or equal to 0');
      expect(r.stderr).toMatch(/spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/);
      expect((await kubectl('get', 'deployment', 'bad')).code).toBe(1);
    });

    it('rejects an unknown field under strict validation', async () => {
      const file = manifest('typo.yaml', deployment('typo').replace('replicas:', 'replcas:'));
      const r = await kubectl('apply', '-f', file);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error from server (BadRequest)');
      expect(r.stderr).toContain('strict decoding error: unknown field "spec.replcas"');
      expect((await kubectl('get', 'deployment', 'typo')).code).toBe(1);
    });
  });

  describe('get', () => {
    beforeAll(async () => {
      await ok('apply', '-f', manifest('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: other}\n'));
      await applyDeployment('list-a', { labels: { tier: 'a' }, image: 'busybox:1.36' });
      await applyDeployment('list-b', { labels: { tier: 'b' } });
      await applyDeployment('list-c', { labels: { tier: 'c' } });
      await applyDeployment('elsewhere', { namespace: 'other' });
    });

    it('prints the upstream Deployment table', async () => {
      const out = lines(await ok('get', 'deployments'));
      expect(columns(out[0])).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      const row = out.find((l) => l.startsWith('list-a '));
      expect(columns(row)).toEqual(['list-a', '0/2', '0', '0', expect.stringMatching(/^\d+s$/)]);
      expect(names(out.join('\n'))).not.toContain('elsewhere');
    });

    it('adds CONTAINERS IMAGES SELECTOR with -o wide', async () => {
      const out = lines(await ok('get', 'deployments', '-o', 'wide'));
      expect(columns(out[0])).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
      expect(columns(out.find((l) => l.startsWith('list-a '))).slice(5)).toEqual(['nginx', 'busybox:1.36', 'app=list-a']);
    });

    it('prints objects with -o yaml, -o json and -o name', async () => {
      const y = parseYaml(await ok('get', 'deployment', 'list-a', '-o', 'yaml')) as Obj;
      expect(y).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'list-a', namespace: 'default' } });
      const j = await getJson('deployments');
      expect(j.kind).toBe('List');
      expect(j.items?.map((i) => i.metadata.name)).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c', 'web']));
      expect(j.items?.every((i) => i.kind === 'Deployment' && i.apiVersion === 'apps/v1')).toBe(true);
      expect(lines(await ok('get', 'deployment', 'list-a', 'list-b', '-o', 'name'))).toEqual([
        'deployment.apps/list-a',
        'deployment.apps/list-b',
      ]);
    });

    it('selects by label: equality and set-based', async () => {
      expect(lines(await ok('get', 'deploy', '-l', 'app=web', '-o', 'name'))).toEqual(['deployment.apps/web']);
      expect(lines(await ok('get', 'deploy', '-l', 'tier in (a,b)', '-o', 'name'))).toEqual(['deployment.apps/list-a', 'deployment.apps/list-b']);
      expect(names(await ok('get', 'deploy', '-l', 'tier in (a,b)'))).toEqual(['list-a', 'list-b']);
      const none = await kubectl('get', 'deploy', '-l', 'tier=z');
      expect(none.code).toBe(0);
      expect(none.stderr).toContain('No resources found in default namespace.');
    });

    it('lists every namespace with -A', async () => {
      const out = lines(await ok('get', 'deployments', '-A'));
      expect(columns(out[0])).toEqual(['NAMESPACE', 'NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
      const rows = out.slice(1).map((l) => columns(l).slice(0, 2));
      expect(rows).toContainEqual(['other', 'elsewhere']);
      expect(rows).toContainEqual(['default', 'list-a']);
    });

    it('shows labels with --show-labels', async () => {
      const out = lines(await ok('get', 'deploy', 'list-a', '--show-labels'));
      expect(columns(out[0])).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'LABELS']);
      expect(columns(out[1]).at(-1)).toBe('app=list-a,tier=a');
    });

    it('watches with -w and prints a line for a change', async () => {
      const child: ChildProcess = spawn('kubectl', ['get', 'deploy', 'list-c', '-w'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      try {
        await until(() => lines(out).length >= 2, 10_000, () => out);
        expect(columns(lines(out)[1]).slice(0, 2)).toEqual(['list-c', '0/2']);
        await ok('scale', 'deploy', 'list-c', '--replicas=4');
        await until(() => lines(out).some((l) => l.startsWith('list-c ') && columns(l)[1] === '0/4'), 5_000, () => out);
        expect(child.exitCode).toBeNull();
      } finally {
        child.kill('SIGTERM');
      }
    });
  });

  it('describes a Deployment', async () => {
    const out = await ok('describe', 'deployment', 'web');
    expect(out).toMatch(/^Name:\s+web$/m);
    expect(out).toMatch(/^Replicas:\s+2 desired/m);
    expect(out).toMatch(/^StrategyType:\s+RollingUpdate$/m);
    expect(out).toMatch(/Image:\s+nginx:1\.26/);
  });

  it('scales, and checks --current-replicas', async () => {
    await applyDeployment('scaled');
    expect(lines(await ok('scale', 'deploy', 'scaled', '--replicas=5'))).toEqual(['deployment.apps/scaled scaled']);
    expect((await getJson('deploy', 'scaled')).spec?.replicas).toBe(5);
    expect(lines(await ok('scale', 'deploy', 'scaled', '--current-replicas=5', '--replicas=6'))).toEqual(['deployment.apps/scaled scaled']);
    expect((await getJson('deploy', 'scaled')).spec?.replicas).toBe(6);
    const stale = await kubectl('scale', 'deploy', 'scaled', '--current-replicas=5', '--replicas=7');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('Expected replicas to be 5, was 6');
    expect((await getJson('deploy', 'scaled')).spec?.replicas).toBe(6);
  });

  it('labels, annotates and removes a label', async () => {
    await applyDeployment('tagged');
    expect(lines(await ok('label', 'deploy', 'tagged', 'tier=gold'))).toEqual(['deployment.apps/tagged labeled']);
    expect(lines(await ok('annotate', 'deploy', 'tagged', 'owner=team-a'))).toEqual(['deployment.apps/tagged annotated']);
    let live = await getJson('deploy', 'tagged');
    expect(live.metadata.labels).toEqual({ app: 'tagged', tier: 'gold' });
    expect(live.metadata.annotations?.owner).toBe('team-a');
    // An existing key needs --overwrite, as upstream.
    const clash = await kubectl('label', 'deploy', 'tagged', 'tier=silver');
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain("'tier' already has a value (gold), and --overwrite is false");
    expect(lines(await ok('label', 'deploy', 'tagged', 'tier-'))).toEqual(['deployment.apps/tagged unlabeled']);
    live = await getJson('deploy', 'tagged');
    expect(live.metadata.labels).toEqual({ app: 'tagged' });
    expect(live.metadata.generation).toBe(1);
  });

  describe('delete', () => {
    it('--cascade=background removes the object', async () => {
      await applyDeployment('gone');
      expect(lines(await ok('delete', 'deploy', 'gone', '--cascade=background'))).toEqual(['deployment.apps "gone" deleted']);
      const r = await kubectl('get', 'deploy', 'gone');
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Error from server (NotFound): deployments.apps "gone" not found');
    });

    // No garbage collector runs yet, so nothing removes the `orphan` / `foregroundDeletion`
    // finalizer: the object stays, marked for deletion. --wait=false because kubectl would
    // otherwise wait for it to disappear.
    it.each([
      ['orphan', 'orphan'],
      ['foreground', 'foregroundDeletion'],
    ])('--cascade=%s leaves the object with finalizer %s and a deletionTimestamp', async (cascade, finalizer) => {
      const name = `cascade-${cascade}`;
      await applyDeployment(name);
      expect(lines(await ok('delete', 'deploy', name, `--cascade=${cascade}`, '--wait=false'))).toEqual([`deployment.apps "${name}" deleted`]);
      const live = await getJson('deploy', name);
      expect(live.metadata.finalizers).toEqual([finalizer]);
      expect(live.metadata.deletionTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    });
  });

  it('replaces with the live resourceVersion, and refuses a stale one', async () => {
    await applyDeployment('swapped');
    const live = await getJson('deploy', 'swapped');
    const staleRv = live.metadata.resourceVersion;
    live.spec!.template.spec.containers[0].image = 'nginx:1.27';
    expect(lines(await ok('replace', '-f', manifest('swapped.json', JSON.stringify(live))))).toEqual(['deployment.apps/swapped replaced']);
    const after = await getJson('deploy', 'swapped');
    expect(after.spec?.template.spec.containers[0].image).toBe('nginx:1.27');
    expect(after.metadata.generation).toBe(2);
    expect(after.metadata.resourceVersion).not.toBe(staleRv);

    live.spec!.template.spec.containers[0].image = 'nginx:1.28';
    const r = await kubectl('replace', '-f', manifest('swapped-stale.json', JSON.stringify(live)));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'Error from server (Conflict): error when replacing "' +
        join(dir, 'swapped-stale.json') +
        '": Operation cannot be fulfilled on deployments.apps "swapped": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('applies over a replace, whose last-applied annotation then holds the whole live object', async () => {
    await applyDeployment('reapplied');
    const live = await getJson('deploy', 'reapplied');
    live.spec!.template.spec.containers[0].image = 'nginx:1.27';
    await ok('replace', '-f', manifest('reapplied.json', JSON.stringify(live)));
    // kubectl replace keeps the annotation up to date, so the three-way patch of the next apply
    // sets metadata.resourceVersion (and uid, generation, ...) to null: an unconditional update.
    const replaced = await getJson('deploy', 'reapplied');
    expect(JSON.parse(replaced.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}')).toHaveProperty('metadata.resourceVersion');
    expect(lines(await applyDeployment('reapplied'))).toEqual(['deployment.apps/reapplied configured']);
    const after = await getJson('deploy', 'reapplied');
    expect(after.spec?.template.spec.containers[0].image).toBe('nginx:1.25');
    expect(after.metadata.uid).toBe(live.metadata.uid);
  });

  it('explains fields from the served OpenAPI', async () => {
    const spec = await ok('explain', 'deployment.spec');
    expect(spec).toMatch(/^KIND:\s+Deployment$/m);
    expect(spec).toMatch(/^VERSION:\s+v1$/m);
    expect(spec).toMatch(/^\s+replicas\s+<integer>\n\s+Number of desired pods/m);
    const containers = await ok('explain', 'pod.spec.containers');
    expect(containers).toMatch(/^KIND:\s+Pod$/m);
    expect(containers).toMatch(/^FIELD:\s+containers <\[\]Container>$/m);
    expect(containers).toMatch(/^\s+image\s+<string>/m);
    expect(containers).toMatch(/^\s+name\s+<string> -required-/m);
  });

  it('lists api-resources', async () => {
    const out = lines(await ok('api-resources'));
    expect(columns(out[0])).toEqual(['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND']);
    const row = (name: string) => out.find((l) => l.startsWith(`${name} `))?.trim().split(/\s+/);
    expect(row('pods')).toEqual(['pods', 'po', 'v1', 'true', 'Pod']);
    expect(row('deployments')).toEqual(['deployments', 'deploy', 'apps/v1', 'true', 'Deployment']);
    expect(row('leases')).toEqual(['leases', 'coordination.k8s.io/v1', 'true', 'Lease']);
    expect(row('nodes')).toEqual(['nodes', 'no', 'v1', 'false', 'Node']);
  });

  it('cordons and uncordons a Node', async () => {
    const file = manifest('node.yaml', 'apiVersion: v1\nkind: Node\nmetadata: {name: node-1, labels: {kubernetes.io/hostname: node-1}}\n');
    expect(lines(await ok('apply', '-f', file))).toEqual(['node/node-1 created']);
    expect(lines(await ok('cordon', 'node-1'))).toEqual(['node/node-1 cordoned']);
    expect((await getJson('node', 'node-1')).spec?.unschedulable).toBe(true);
    expect(columns(lines(await ok('get', 'node', 'node-1'))[1])[1]).toContain('SchedulingDisabled');
    expect(lines(await ok('uncordon', 'node-1'))).toEqual(['node/node-1 uncordoned']);
    expect((await getJson('node', 'node-1')).spec?.unschedulable ?? false).toBe(false);
  });

  it('runs a Pod that stays Pending, and deletes it at once while unscheduled', async () => {
    expect(lines(await ok('run', 'web', '--image=nginx'))).toEqual(['pod/web created']);
    const pod = await getJson('pod', 'web');
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.containers).toEqual([expect.objectContaining({ name: 'web', image: 'nginx' })]);
    expect(columns(lines(await ok('get', 'pod', 'web'))[1]).slice(0, 4)).toEqual(['web', '0/1', 'Pending', '0']);

    const started = Date.now();
    expect(lines(await ok('delete', 'pod', 'web'))).toEqual(['pod "web" deleted']);
    // No kubelet holds an unscheduled pod, so there is no grace period to wait out.
    expect(Date.now() - started).toBeLessThan(5_000);
    const r = await kubectl('get', 'pod', 'web');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (NotFound): pods "web" not found');
  });

  // kubectl's typed clients send protobuf, where `apply -f` sends JSON: these are the commands of
  // a first lesson (`kubectl create deployment nginx --image=nginx`), and of a node's maintenance.
  describe('typed-client commands, whose bodies are protobuf', () => {
    it('create a namespace, a Deployment, a ConfigMap and a Secret in it', async () => {
      expect(lines(await ok('create', 'namespace', 'lesson'))).toEqual(['namespace/lesson created']);
      expect(lines(await ok('create', 'deployment', 'hello', '--image=nginx:1.27', '--replicas=2', '--port=80', '-n', 'lesson'))).toEqual([
        'deployment.apps/hello created',
      ]);
      const d = await getJson('deployment', 'hello', '-n', 'lesson');
      expect(d.metadata.labels).toEqual({ app: 'hello' });
      expect(d.spec).toMatchObject({ replicas: 2, selector: { matchLabels: { app: 'hello' } }, strategy: { type: 'RollingUpdate' } });
      expect(d.spec?.template.spec.containers).toEqual([expect.objectContaining({ name: 'nginx', image: 'nginx:1.27', ports: [expect.objectContaining({ containerPort: 80 })] })]);

      expect(lines(await ok('create', 'deployment', 'idle', '--image=nginx', '--replicas=0', '-n', 'lesson'))).toEqual(['deployment.apps/idle created']);
      expect((await getJson('deployment', 'idle', '-n', 'lesson')).spec?.replicas).toBe(0);

      await ok('create', 'configmap', 'settings', '--from-literal=mode=dev', '--from-literal=empty=', '-n', 'lesson');
      expect((await getJson('configmap', 'settings', '-n', 'lesson')).data).toEqual({ mode: 'dev', empty: '' });
      await ok('create', 'secret', 'generic', 'creds', '--from-literal=password=hunter2', '-n', 'lesson');
      expect((await getJson('secret', 'creds', '-n', 'lesson')).data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    });

    it('create Services of each type, with no warning about fields a Go client leaves at zero', async () => {
      for (const [type, port] of [['clusterip', '80:8080'], ['nodeport', '80:8080'], ['loadbalancer', '443']] as const) {
        const r = await kubectl('create', 'service', type, `svc-${type}`, `--tcp=${port}`);
        expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
      }
      const np = await getJson('service', 'svc-nodeport');
      expect(np.spec?.ports).toEqual([expect.objectContaining({ port: 80, targetPort: 8080, nodePort: expect.any(Number) })]);
      expect(np.spec?.ports[0].nodePort).toBeGreaterThanOrEqual(30000);
      expect((await getJson('service', 'svc-clusterip')).spec?.ports[0]).not.toHaveProperty('nodePort');
      expect((await getJson('service', 'svc-loadbalancer')).spec?.ports[0].targetPort).toBe(443);
    });

    it('drain a node: cordon it, then evict its pods, or delete them with --disable-eviction', async () => {
      const node = (name: string, pods: string[]) =>
        [`apiVersion: v1\nkind: Node\nmetadata: {name: ${name}}`, ...pods.map((p) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${p}}\nspec: {nodeName: ${name}, containers: [{name: c, image: nginx}]}`)].join('\n---\n');
      await ok('apply', '-f', manifest('drain-1.yaml', node('drain-1', ['on-1a', 'on-1b'])));
      const out = await ok('drain', 'drain-1', '--force', '--grace-period=0', '--timeout=20s');
      expect(out).toContain('pod/on-1a evicted');
      expect(out).toContain('node/drain-1 drained');
      expect((await getJson('node', 'drain-1')).spec?.unschedulable).toBe(true);
      expect(lines(await ok('get', 'pods', '--field-selector=spec.nodeName=drain-1', '-o', 'name'))).toEqual([]);

      await ok('apply', '-f', manifest('drain-2.yaml', node('drain-2', ['on-2a'])));
      expect(await ok('drain', 'drain-2', '--force', '--grace-period=0', '--disable-eviction', '--timeout=20s')).toContain('node/drain-2 drained');
      expect(lines(await ok('get', 'pods', '--field-selector=spec.nodeName=drain-2', '-o', 'name'))).toEqual([]);
    });
  });

  describe('server-side apply', () => {
    it('takes over an object kubectl client-side applied, as it upgrades', async () => {
      await ok('apply', '-f', manifest('upgrade.yaml', deployment('upgrade', { replicas: 2 })));
      expect(lines(await ok('apply', '--server-side', '-f', manifest('upgrade.yaml', deployment('upgrade', { replicas: 3 }))))).toEqual([
        'deployment.apps/upgrade serverside-applied',
      ]);
      const live = JSON.parse(await ok('get', 'deployment', 'upgrade', '-o', 'json', '--show-managed-fields')) as Obj;
      expect(live.spec?.replicas).toBe(3);
      const owners = (live.metadata as { managedFields?: Array<{ manager: string; operation: string }> }).managedFields?.map((e) => `${e.manager}/${e.operation}`);
      expect(owners).toContain('kubectl/Apply');
      expect(owners).not.toContain('kubectl-client-side-apply/Update');
    });

    it('records field owners, refuses to undo a scale, takes it with --force-conflicts, and removes what is no longer applied', async () => {
      const file = (replicas: number, labels: Record<string, string>) => manifest('ssa.yaml', deployment('ssa', { replicas, labels }));
      expect(lines(await ok('apply', '--server-side', '-f', file(2, { team: 'blue' })))).toEqual(['deployment.apps/ssa serverside-applied']);
      const owners = JSON.parse(await ok('get', 'deployment', 'ssa', '-o', 'json', '--show-managed-fields')) as Obj;
      expect((owners.metadata as { managedFields?: Array<{ manager: string; operation: string }> }).managedFields?.map((e) => `${e.manager}/${e.operation}`)).toEqual(['kubectl/Apply']);

      await ok('scale', 'deployment', 'ssa', '--replicas=4');
      const refused = await kubectl('apply', '--server-side', '-f', file(3, { team: 'blue' }));
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/Apply failed with 1 conflict: conflict with "kubectl.*" .*using apps\/v1: \.spec\.replicas/);
      expect((await getJson('deployment', 'ssa')).spec?.replicas).toBe(4);

      await ok('apply', '--server-side', '--force-conflicts', '-f', file(3, { team: 'blue' }));
      expect((await getJson('deployment', 'ssa')).spec?.replicas).toBe(3);

      await ok('label', 'deployment', 'ssa', 'extra=yes');
      await ok('apply', '--server-side', '-f', file(3, {}));
      expect((await getJson('deployment', 'ssa')).metadata.labels).toEqual({ app: 'ssa', extra: 'yes' });
    });
  });

  it('deletes nothing with --dry-run=server, and never the namespaces Kubernetes keeps', async () => {
    await ok('create', 'configmap', 'keep-me', '--from-literal=a=b');
    expect(lines(await ok('delete', 'configmap', 'keep-me', '--dry-run=server'))).toEqual(['configmap "keep-me" deleted (server dry run)']);
    expect((await getJson('configmap', 'keep-me')).data).toEqual({ a: 'b' });
    const r = await kubectl('delete', 'namespace', 'default');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Error from server (Forbidden): namespaces "default" is forbidden: this namespace may not be deleted');
    expect((await getJson('namespace', 'default')).metadata.deletionTimestamp).toBeUndefined();
  });

  it('says why exec cannot run in a simulated container', async () => {
    await ok('run', 'shell', '--image=busybox');
    const r = await kubectl('exec', 'shell', '--', 'ls');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Error from server (BadRequest): pods/exec is not supported: minik's containers are simulated");
  });

  it('reports server version v1.32', async () => {
    expect(await ok('version')).toMatch(/^Server Version: v1\.32\.\d+/m);
  });
});

async function until(cond: () => boolean, timeoutMs: number, show: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms; output so far:\n${show()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
