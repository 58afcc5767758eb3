import { describe, expect, it } from 'vitest';
import { planUndo } from './rollout-undo.js';

const template = (image: string, hash?: string) => ({ metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) } }, spec: { containers: [{ name: 'nginx', image }] } });
const rs = (revision: number, image: string, annotations: Record<string, string> = {}) => ({
  metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': String(revision), ...annotations } },
  spec: { template: template(image, `h${revision}`) },
});
const web = (image: string, paused = false) => ({
  metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'now', team: 'blue' } },
  spec: { paused, template: template(image) },
});

describe('planUndo', () => {
  const history = [rs(1, 'nginx:1.25', { 'kubernetes.io/change-cause': 'first' }), rs(3, 'nginx:1.27'), rs(2, 'nginx:1.26')];

  it('goes back to the revision before the newest, its template without pod-template-hash', () => {
    const plan = planUndo(web('nginx:1.27'), history, 0);
    expect(plan).toEqual({
      kind: 'patch',
      revision: 2,
      patch: [
        { op: 'replace', path: '/spec/template', value: template('nginx:1.26') },
        // The Deployment keeps its own revision; the ReplicaSet's other annotations come back.
        { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '3' } },
      ],
    });
  });

  it('goes to the revision asked for, with its change cause', () => {
    const plan = planUndo(web('nginx:1.27'), history, 1);
    expect(plan.kind === 'patch' && plan.patch[1]!.value).toEqual({ 'deployment.kubernetes.io/revision': '3', 'kubernetes.io/change-cause': 'first' });
  });

  it('skips when the template already matches', () => {
    expect(planUndo(web('nginx:1.26'), history, 2)).toEqual({ kind: 'skip', revision: 2 });
  });

  it("refuses a paused Deployment, a missing revision, and a Deployment with no earlier revision, in kubectl's words", () => {
    expect(() => planUndo(web('nginx:1.27', true), history, 0)).toThrow("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume deployment/web' and try again");
    expect(() => planUndo(web('nginx:1.27'), history, 9)).toThrow('unable to find specified revision 9 in history');
    expect(() => planUndo(web('nginx:1.27'), [rs(1, 'nginx:1.27')], 0)).toThrow('no rollout history found for deployment "web"');
  });
});
