import { describe, expect, it } from 'vitest';
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
