import { describe, expect, it } from 'vitest';
import { formatHistory, formatRevisionTemplate } from './rollout-history.js';

const rs = (name: string, revision: number | undefined, image: string, cause?: string) => ({
  metadata: {
    name,
    annotations: { ...(revision !== undefined ? { 'deployment.kubernetes.io/revision': String(revision) } : {}), ...(cause ? { 'kubernetes.io/change-cause': cause } : {}) },
  },
  spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': name.slice(4) } }, spec: { containers: [{ name: 'nginx', image }] } } },
});

describe('formatHistory', () => {
  it('lists revisions oldest first with their change cause', () => {
    const text = formatHistory([rs('web-b', 10, 'nginx:1.27', 'kubectl set image deploy/web nginx=nginx:1.27'), rs('web-a', 2, 'nginx:1.25'), rs('web-c', undefined, 'x')]);
    expect(text).toBe('REVISION  CHANGE-CAUSE\n2         <none>\n10        kubectl set image deploy/web nginx=nginx:1.27\n');
  });

  it('says so when there is no history', () => {
    expect(formatHistory([])).toBe('No rollout history found.');
  });
});

describe('formatRevisionTemplate', () => {
  it("describes the revision's pod template, pod-template-hash included, its tabs unaligned as kubectl prints them", () => {
    const text = formatRevisionTemplate([rs('web-a', 1, 'nginx:1.25'), rs('web-b', 2, 'nginx:1.26')], 1);
    expect(text).toMatch(/^Pod Template:\n {2}Labels:\tapp=web\n\tpod-template-hash=a\n {2}Containers:\n {3}nginx:\n {4}Image:\tnginx:1\.25\n/);
    expect(text).not.toContain('1.26');
  });

  it('refuses a revision that is not there', () => {
    expect(() => formatRevisionTemplate([rs('web-a', 1, 'nginx')], 7)).toThrow('unable to find the specified revision');
  });
});
