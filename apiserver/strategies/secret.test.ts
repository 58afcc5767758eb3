import { afterEach, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../api/client.js';
import { resolveResource } from '../../api/resources.js';
import { inProcessApi } from '../../test/support/in-process-api.js';

const secrets = resolveResource('secrets')!;
const configmaps = resolveResource('configmaps')!;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, type: string, data: Record<string, string>, more: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name },
  type,
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  ...more,
});

/** The message of the 422 a write is refused with, or 'ok'. */
async function outcome(write: Promise<unknown>): Promise<string> {
  try {
    await write;
    return 'ok';
  } catch (err) {
    const e = err as { code?: number; status?: { message?: string } };
    expect(e.code).toBe(422);
    return e.status!.message!;
  }
}

describe('Secrets of the built-in types', () => {
  it("hold the keys their type needs, refused in upstream's words", async () => {
    const { client } = await inProcessApi(cleanups);
    const create = (s: KubeObject) => outcome(client.create(secrets, 'default', s));
    expect(await create(secret('reg', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":{}}' }))).toBe('ok');
    expect(await create(secret('reg2', 'kubernetes.io/dockerconfigjson', {}))).toBe('Secret "reg2" is invalid: data[.dockerconfigjson]: Required value');
    expect(await create(secret('reg3', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': '{"auths":' }))).toBe(
      'Secret "reg3" is invalid: data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input',
    );
    expect(await create(secret('cfg', 'kubernetes.io/dockercfg', { '.dockercfg': '[]' }))).toBe(
      'Secret "cfg" is invalid: data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
    );
    expect(await create(secret('tls', 'kubernetes.io/tls', { 'tls.crt': 'CERT' }))).toBe('Secret "tls" is invalid: data[tls.key]: Required value');
    expect(await create(secret('tls2', 'kubernetes.io/tls', { 'tls.crt': '', 'tls.key': '' }))).toBe('ok');
    expect(await create(secret('basic', 'kubernetes.io/basic-auth', {}))).toBe('Secret "basic" is invalid: [data[username]: Required value, data[password]: Required value]');
    expect(await create(secret('basic2', 'kubernetes.io/basic-auth', { password: '' }))).toBe('ok');
    expect(await create(secret('ssh', 'kubernetes.io/ssh-auth', { 'ssh-privatekey': '' }))).toBe('Secret "ssh" is invalid: data[ssh-privatekey]: Required value');
    expect(await create(secret('sa', 'kubernetes.io/service-account-token', {}))).toBe(
      'Secret "sa" is invalid: metadata.annotations[kubernetes.io/service-account.name]: Required value',
    );
    expect(await create(secret('any', 'example.com/mine', {}))).toBe('ok');
    // stringData counts: it is data by the time the rules look.
    expect(await create({ metadata: { name: 'basic3' }, type: 'kubernetes.io/basic-auth', stringData: { username: 'ada' } })).toBe('ok');
    expect((await client.get(secrets, 'default', 'basic3')).data).toEqual({ username: b64('ada') });
  });

  it('keep their type, and once immutable their data and the mark', async () => {
    const { client } = await inProcessApi(cleanups);
    const made = await client.create(secrets, 'default', secret('fixed', 'Opaque', { a: '1' }, { immutable: true }));
    const update = (change: Partial<KubeObject>) => outcome(client.update(secrets, 'default', { ...made, ...change }));
    expect(await update({ data: { a: b64('2') } })).toBe('Secret "fixed" is invalid: data: Forbidden: field is immutable when `immutable` is set');
    expect(await update({ immutable: false })).toBe('Secret "fixed" is invalid: immutable: Forbidden: field is immutable when `immutable` is set');
    expect(await update({ type: 'example.com/other' })).toBe('Secret "fixed" is invalid: type: Invalid value: "example.com/other": field is immutable');
    expect(await update({ metadata: { ...made.metadata, labels: { tier: 'db' } } })).toBe('ok');
  });
});

describe('immutable ConfigMaps', () => {
  it('keep their data, their binaryData and the mark, each refused by name', async () => {
    const { client } = await inProcessApi(cleanups);
    const made = await client.create(configmaps, 'default', { metadata: { name: 'fixed' }, data: { a: '1' }, binaryData: { b: b64('x') }, immutable: true });
    const update = (change: Partial<KubeObject>) => outcome(client.update(configmaps, 'default', { ...made, ...change }));
    expect(await update({ binaryData: { b: b64('y') } })).toBe('ConfigMap "fixed" is invalid: binaryData: Forbidden: field is immutable when `immutable` is set');
    expect(await update({ immutable: false, data: { a: '2' } })).toBe(
      'ConfigMap "fixed" is invalid: [immutable: Forbidden: field is immutable when `immutable` is set, data: Forbidden: field is immutable when `immutable` is set]',
    );
    expect(await update({ metadata: { ...made.metadata, annotations: { note: 'kept' } } })).toBe('ok');
  });
});
