import { describe, expect, it } from 'vitest';
import {
  configMapObject,
  deploymentObject,
  dockerRegistrySecret,
  gatherData,
  namespaceObject,
  oneName,
  secretObject,
  serviceObject,
  tlsSecret,
  type FileSource,
} from './create-generators.js';

/** A folder `conf` of two files, a text file, a file that is not UTF-8, and two env files. */
const ENV_FILES: Record<string, string> = {
  'app.env': '\ufeffHOST=db.local\r\n  # the port\r\nPORT=5432\r\nUSER\r\n',
  'more.env': 'MODE="fast" \nPORT=6543\n',
};
const files: FileSource = {
  isDirectory: (p) => {
    if (p === 'conf') return true;
    if (['app.properties', 'logo.bin', 'conf/a.txt', 'conf/b.txt', ...Object.keys(ENV_FILES)].includes(p)) return false;
    throw new Error('ENOENT');
  },
  list: () => ['conf/a.txt', 'conf/b.txt'],
  read: (p) => (p === 'logo.bin' ? Buffer.from([0xff, 0xfe, 0x00]) : Buffer.from(ENV_FILES[p] ?? `contents of ${p}`)),
  env: (name) => (name === 'USER' ? 'ada' : undefined),
};

describe('kubectl create generators', () => {
  it('gathers the data of its doc comment', () => {
    expect(gatherData('ConfigMap', 'settings', { fromLiteral: ['mode=fast', 'level=3'] }, files)).toEqual({ data: { mode: 'fast', level: '3' }, binaryData: {} });
  });

  it('makes a ConfigMap of literals and files: a file by its name or the key given, a folder file by file, bytes apart', () => {
    expect(configMapObject('web', { fromLiteral: ['a=x=y'], fromFile: ['app.properties', 'logo=logo.bin', 'conf'] }, files)).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'web', creationTimestamp: null },
      data: { a: 'x=y', 'app.properties': 'contents of app.properties', 'a.txt': 'contents of conf/a.txt', 'b.txt': 'contents of conf/b.txt' },
      binaryData: { logo: '//4A' },
    });
    expect(configMapObject('empty', {}, files)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty', creationTimestamp: null } });
  });

  it('refuses what kubectl refuses, with its words', () => {
    expect(() => configMapObject('c', { fromLiteral: ['a=1', 'a=2'] }, files)).toThrow('cannot add key "a", another key by that name already exists in Data for ConfigMap "c"');
    expect(() => configMapObject('c', { fromLiteral: ['novalue'] }, files)).toThrow('invalid literal source novalue, expected key=value');
    expect(() => configMapObject('c', { fromLiteral: ['bad key=1'] }, files)).toThrow(/^"bad key" is not a valid key name for a ConfigMap: a valid config key must consist of/);
    expect(() => configMapObject('c', { fromFile: ['missing'] }, files)).toThrow('error reading missing: no such file or directory');
    expect(() => configMapObject('c', { fromFile: ['k=conf'] }, files)).toThrow('cannot give a key name for a directory path');
    expect(() => secretObject('s', { fromLiteral: ['a=1'], fromFile: ['a=app.properties'] }, 'Opaque', files)).toThrow(/^cannot add key a, another key by that name already exists$/);
  });

  it('makes a ConfigMap or a Secret of env files, each line a key, a bare key from the environment', () => {
    expect(configMapObject('env', { fromEnvFile: ['app.env'] }, files).data).toEqual({ HOST: 'db.local', PORT: '5432', USER: 'ada' });
    expect(secretObject('env', { fromEnvFile: ['app.env'] }, undefined, files).data).toEqual({ HOST: 'ZGIubG9jYWw=', PORT: 'NTQzMg==', USER: 'YWRh' });
    expect(() => configMapObject('env', { fromEnvFile: ['app.env', 'more.env'] }, files)).toThrow('cannot add key "PORT", another key by that name already exists in Data for ConfigMap "env"');
    expect(() => configMapObject('env', { fromEnvFile: ['app.env'], fromLiteral: ['a=1'] }, files)).toThrow('from-env-file cannot be combined with from-file or from-literal');
    expect(() => secretObject('env', { fromEnvFile: ['app.env'], fromFile: ['logo.bin'] }, undefined, files)).toThrow('from-env-file cannot be combined with from-file or from-literal');
    expect(() => configMapObject('env', { fromEnvFile: ['conf'] }, files)).toThrow('env config file cannot be a directory');
    expect(() => secretObject('env', { fromEnvFile: ['conf'] }, undefined, files)).toThrow('env secret file cannot be a directory');
    expect(() => configMapObject('env', { fromEnvFile: ['missing.env'] }, files)).toThrow('error reading missing.env: no such file or directory');
  });

  it('makes a docker-registry Secret as docker login writes its config, or of the config files given', () => {
    const config = (secret: Record<string, any>) => Buffer.from(secret.data['.dockerconfigjson'], 'base64').toString();
    const regcred = dockerRegistrySecret('regcred', { dockerServer: 'registry.example', dockerUsername: 'ada', dockerPassword: 'pw' }, files);
    expect(regcred).toMatchObject({ metadata: { name: 'regcred', creationTimestamp: null }, type: 'kubernetes.io/dockerconfigjson' });
    expect(config(regcred)).toBe('{"auths":{"registry.example":{"username":"ada","password":"pw","auth":"YWRhOnB3"}}}');
    // Docker Hub unless told; the email when given; HTML's characters escaped as Go escapes them.
    expect(config(dockerRegistrySecret('hub', { dockerUsername: 'a<b>', dockerPassword: 'p&q', dockerEmail: 'a@example.com' }, files))).toBe(
      '{"auths":{"https://index.docker.io/v1/":{"username":"a\\u003cb\\u003e","password":"p\\u0026q","email":"a@example.com","auth":"YTxiPjpwJnE="}}}',
    );
    expect(dockerRegistrySecret('file', { fromFile: ['app.properties'] }, files).data).toEqual({ '.dockerconfigjson': Buffer.from('contents of app.properties').toString('base64') });
    expect(dockerRegistrySecret('file', { fromFile: ['cfg=app.properties'] }, files).data).toEqual({ cfg: Buffer.from('contents of app.properties').toString('base64') });
    for (const o of [{}, { dockerUsername: 'a' }, { dockerUsername: 'a', dockerPassword: 'b', dockerServer: '' }]) {
      expect(() => dockerRegistrySecret('r', o, files)).toThrow('either --from-file or the combination of --docker-username, --docker-password and --docker-server is required');
    }
  });

  it('makes a TLS Secret of the two files as they are, and says why it cannot read one', () => {
    const pems: Record<string, string> = {
      'web.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
      'web.key': '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n',
    };
    const tlsFiles: FileSource = { ...files, isDirectory: (p) => (p === 'conf' ? true : Object.hasOwn(pems, p) ? false : files.isDirectory(p)), read: (p) => Buffer.from(pems[p] ?? '') };
    expect(() => tlsSecret('t', { cert: 'web.crt' }, tlsFiles)).toThrow('key and cert must be specified');
    expect(() => tlsSecret('t', { cert: 'missing.crt', key: 'web.key' }, tlsFiles)).toThrow('Cannot read file missing.crt, open missing.crt: no such file or directory');
    expect(() => tlsSecret('t', { cert: 'web.crt', key: 'conf' }, tlsFiles)).toThrow('Cannot read file conf, read conf: is a directory');
    // These bodies are no certificate: the pair is checked before anything is made.
    expect(() => tlsSecret('t', { cert: 'web.crt', key: 'web.key' }, tlsFiles)).toThrow('x509: malformed certificate');
  });

  it("takes one NAME, and says so in kubectl's words otherwise", () => {
    expect(oneName(['web'], 'create configmap')).toBe('web');
    expect(() => oneName([], 'create secret tls')).toThrow("exactly one NAME is required, got 0\nSee 'minikctl create secret tls -h' for help and examples");
    expect(() => oneName(['a', 'b'], 'create configmap')).toThrow('exactly one NAME is required, got 2');
  });

  it('keeps a key named like an inherited member as a key', () => {
    expect(JSON.stringify(configMapObject('c', { fromLiteral: ['__proto__=x', 'constructor=y'] }, files).data)).toBe('{"__proto__":"x","constructor":"y"}');
  });

  it('makes a Secret of base64 values, bytes as they are, of the type given', () => {
    expect(secretObject('db', { fromLiteral: ['password=hunter2'], fromFile: ['logo.bin'] }, undefined, files)).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', creationTimestamp: null },
      data: { password: 'aHVudGVyMg==', 'logo.bin': '//4A' },
    });
    expect(secretObject('auth', { fromLiteral: ['username=u'] }, 'kubernetes.io/basic-auth', files).type).toBe('kubernetes.io/basic-auth');
  });

  it('makes a Namespace and a Deployment as kubectl does', () => {
    expect(namespaceObject('team-a')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a', creationTimestamp: null }, spec: {}, status: {} });
    expect(deploymentObject('web', { image: ['nginx:1.27'], replicas: 3, port: 80 })).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', resources: {}, ports: [{ containerPort: 80 }] }] } },
        strategy: {},
      },
      status: {},
    });
  });

  it('names each container after its image, without registry, tag or digest', () => {
    const d = deploymentObject('multi', { image: ['registry.example/team/my_app.v2:1.0@sha256:abc', 'busybox'] });
    expect(d.spec.template.spec.containers.map((c: { name: string }) => c.name)).toEqual(['my-app-v2', 'busybox']);
    expect(d.spec.replicas).toBe(1);
    expect(() => deploymentObject('x', {})).toThrow('required flag(s) "image" not set');
    expect(deploymentObject('x', { image: ['a', 'b'], port: 80 }).spec.template.spec.containers.map((c: { ports?: unknown }) => c.ports)).toEqual([[{ containerPort: 80 }], undefined]);
    expect(() => deploymentObject('x', { image: ['a'], replicas: -1 })).toThrow('invalid replicas: -1');
  });

  it('makes a Service of each type, as kubectl create service does', () => {
    expect(serviceObject('clusterip', 'web', { tcp: ['80:8080'] }).spec.ports).toEqual([{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 }]);
    expect(serviceObject('nodeport', 'np', { tcp: ['80:http', '81'], nodePort: 30080 }).spec).toEqual({
      ports: [
        { name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 },
        { name: '81', protocol: 'TCP', port: 81, targetPort: 81, nodePort: 30080 },
      ],
      selector: { app: 'np' },
      type: 'NodePort',
    });
    expect(serviceObject('clusterip', 'h', { clusterip: 'None' }).spec).toEqual({ selector: { app: 'h' }, clusterIP: 'None', type: 'ClusterIP' });
    expect(serviceObject('externalname', 'db', { externalName: 'db.example.com' }).spec).toEqual({ selector: { app: 'db' }, type: 'ExternalName', externalName: 'db.example.com' });
  });

  it("refuses a Service kubectl refuses, in Go's words", () => {
    expect(() => serviceObject('clusterip', 'web', {})).toThrow('at least one tcp port specifier must be provided');
    expect(() => serviceObject('clusterip', 'web', { tcp: ['abc'] })).toThrow('strconv.ParseUint: parsing "abc": invalid syntax');
    expect(() => serviceObject('clusterip', 'web', { tcp: ['99999'] })).toThrow('strconv.ParseUint: parsing "99999": value out of range');
    expect(() => serviceObject('externalname', 'ex', {})).toThrow('required flag(s) "external-name" not set');
    expect(() => serviceObject('externalname', 'ex', { externalName: 'bad_name' })).toThrow('invalid service external name bad_name');
  });
});
