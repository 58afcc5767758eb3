import { describe, expect, it } from 'vitest';
import { defaultContainer, logQuery } from './logs.js';

describe('logQuery', () => {
  it("passes kubectl's flags on as pods/log parameters, --tail=-1 meaning every line", () => {
    expect(logQuery('web', { follow: true, tail: 5, previous: true, timestamps: true })).toEqual({ container: 'web', follow: 'true', tailLines: '5', previous: 'true', timestamps: 'true' });
    expect(logQuery('web', { tail: -1 })).toEqual({ container: 'web', follow: undefined, tailLines: undefined, previous: undefined, timestamps: undefined });
  });
});

describe('defaultContainer', () => {
  it('takes the only container silently, the first of several with a note', () => {
    expect(defaultContainer({ spec: { containers: [{ name: 'web' }] } })).toEqual({ name: 'web' });
    expect(defaultContainer({ spec: { containers: [{ name: 'web' }, { name: 'log' }], initContainers: [{ name: 'setup' }] } })).toEqual({
      name: 'web',
      note: 'Defaulted container "web" out of: web, log, setup (init)',
    });
  });

  it('honours the default-container annotation', () => {
    const pod = { metadata: { annotations: { 'kubectl.kubernetes.io/default-container': 'log' } }, spec: { containers: [{ name: 'web' }, { name: 'log' }] } };
    expect(defaultContainer(pod)).toEqual({ name: 'log' });
  });
});
