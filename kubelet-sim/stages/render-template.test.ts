import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../api/deep-freeze.js';
import { renderTemplate } from './render-template.js';

describe('renderTemplate', () => {
  it('follows the worked example', () => {
    expect(
      renderTemplate(
        { startTime: '{{now}}', containerStatuses: { $eachContainer: { name: '{{container.name}}' } } },
        { spec: { containers: [{ name: 'web' }] } },
        { now: '2026-01-01T00:00:00Z' },
        'pod-running',
      ),
    ).toEqual({ startTime: '2026-01-01T00:00:00Z', containerStatuses: [{ name: 'web' }] });
  });

  it('keeps the type of a whole placeholder, drops a missing field, and stringifies inside text', () => {
    const obj = { metadata: { name: 'web-1', generation: 4 }, spec: {} };
    expect(renderTemplate({ g: '{{.metadata.generation}}', gone: '{{.status.podIP}}', m: 'pod {{.metadata.name}} gen {{ .metadata.generation }}{{.nope}}' }, obj, { now: 't' }, 's')).toEqual({
      g: 4,
      m: 'pod web-1 gen 4',
    });
    expect(renderTemplate({ cs: { $eachContainer: { n: '{{container.name}}' } } }, obj, { now: 't' }, 's')).toEqual({ cs: [] });
  });

  it('fails when the stage needs context the caller did not give', () => {
    expect(() => renderTemplate({ podIP: '{{podIP}}' }, {}, { now: 't' }, 'pod-running')).toThrow(
      'Cannot apply stage pod-running: it needs ctx.podIP, and the caller gave none',
    );
  });
});

describe('renderTemplate per container', () => {
  const pod = {
    spec: { containers: [{ name: 'a', image: 'nginx:missing' }, { name: 'b', image: 'nginx' }], initContainers: [{ name: 'i', image: 'busybox' }] },
    status: { containerStatuses: [{ name: 'a', restartCount: 2 }, { name: 'b', restartCount: 0, state: { running: {} } }] },
  };

  it('reads each container status and applies functions to placeholders', () => {
    const t = { cs: { $eachContainer: { n: '{{container.name}}', r: '{{inc container.status.restartCount}}', m: 'back-off {{backoff container.status.restartCount}}' } } };
    expect(renderTemplate(t, pod, { now: 't' }, 's')).toEqual({ cs: [{ n: 'a', r: 3, m: 'back-off 20s' }, { n: 'b', r: 1, m: 'back-off 10s' }] });
    expect(renderTemplate({ ics: { $eachInitContainer: '{{container.name}}' } }, pod, { now: 't' }, 's')).toEqual({ ics: ['i'] });
  });

  it('picks the first matching case for each container, so one can fail while another keeps its status', () => {
    const t = {
      cs: {
        $eachContainer: {
          $cases: [
            { when: { matchExpressions: [{ key: '.sim.pullError', operator: 'Exists' }] }, then: { name: '{{container.name}}', reason: 'ErrImagePull' } },
            { then: '{{container.status}}' },
          ],
        },
      },
    };
    expect(renderTemplate(t, pod, { now: 't' }, 's')).toEqual({ cs: [{ name: 'a', reason: 'ErrImagePull' }, { name: 'b', restartCount: 0, state: { running: {} } }] });
  });
});

describe('renderTemplate, compiled once per frozen template', () => {
  const pod = { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'a' }] } };

  it('renders a frozen template alike every time, and an unfrozen one as it is at each render', () => {
    const frozen = deepFreeze({ m: 'pod {{.metadata.name}}', cs: { $eachContainer: { n: '{{container.name}}' } } });
    expect(renderTemplate(frozen, pod, { now: 't' }, 's')).toEqual({ m: 'pod web-1', cs: [{ n: 'a' }] });
    expect(renderTemplate(frozen, { ...pod, metadata: { name: 'web-2' } }, { now: 't' }, 's')).toEqual({ m: 'pod web-2', cs: [{ n: 'a' }] });
    const open: Record<string, unknown> = { m: '{{.metadata.name}}', inner: deepFreeze({ at: '{{now}}' }) };
    expect(renderTemplate(open, pod, { now: 't' }, 's')).toEqual({ m: 'web-1', inner: { at: 't' } });
    open.m = 'renamed {{now}}';
    (open as { extra?: string }).extra = 'x';
    expect(renderTemplate(open, pod, { now: 't' }, 's')).toEqual({ m: 'renamed t', inner: { at: 't' }, extra: 'x' });
  });

  it('fails on a bad path only when it is read: a case never chosen never fails', () => {
    const t = deepFreeze({ $eachContainer: { $cases: [{ then: '{{container.name}}' }, { then: '{{.bad..path}}' }] } });
    expect(renderTemplate({ cs: t }, pod, { now: 't' }, 's')).toEqual({ cs: ['a'] });
    expect(() => renderTemplate({ x: '{{.bad..path}}' }, pod, { now: 't' }, 's')).toThrow(/not understood at offset/);
  });
});
