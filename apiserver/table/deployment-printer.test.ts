import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../api/schemas/workloads.js';
import { deploymentPrinter } from './deployment-printer.js';

const NOW = Date.parse('2024-05-01T12:00:00Z');

const web: Deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', generation: 2, creationTimestamp: '2024-05-01T11:50:00Z', annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox:1.36' }] },
    },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    revisionHistoryLimit: 10,
    progressDeadlineSeconds: 600,
  },
  status: {
    observedGeneration: 2,
    replicas: 3,
    updatedReplicas: 3,
    readyReplicas: 2,
    availableReplicas: 2,
    unavailableReplicas: 1,
    conditions: [
      { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
      { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    ],
  },
};

describe('deploymentPrinter', () => {
  it('has the columns of kube-apiserver, template columns wide', () => {
    expect(deploymentPrinter.columns.map((c) => [c.name, c.type, c.format, c.priority])).toEqual([
      ['Name', 'string', 'name', 0],
      ['Ready', 'string', '', 0],
      ['Up-to-date', 'string', '', 0],
      ['Available', 'string', '', 0],
      ['Age', 'string', '', 0],
      ['Containers', 'string', '', 1],
      ['Images', 'string', '', 1],
      ['Selector', 'string', '', 1],
    ]);
  });

  it('prints ready of desired, and the counts as integers', () => {
    expect(deploymentPrinter.cells(web, NOW)).toEqual(['web', '2/3', 3, 2, '10m', 'web,log', 'nginx:1.27,busybox:1.36', 'app=web']);
  });

  it('prints a new deployment the controller has not reached yet', () => {
    const fresh: Deployment = { metadata: { name: 'new', creationTimestamp: '2024-05-01T11:59:59Z' }, spec: { ...web.spec!, replicas: undefined } };
    expect(deploymentPrinter.cells(fresh, NOW)).toEqual(['new', '0/1', 0, 0, '1s', 'web,log', 'nginx:1.27,busybox:1.36', 'app=web']);
  });

  it('prints a scaled-to-zero deployment and a selector with expressions', () => {
    const idle: Deployment = {
      ...web,
      spec: { ...web.spec!, replicas: 0, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'track', operator: 'In', values: ['stable', 'canary'] }] } },
      status: { observedGeneration: 3 },
    };
    expect(deploymentPrinter.cells(idle, NOW)).toEqual(['web', '0/0', 0, 0, '10m', 'web,log', 'nginx:1.27,busybox:1.36', 'app=web,track in (canary,stable)']);
  });

  it('prints an empty selector as nothing and a malformed one as <invalid>', () => {
    const withSelector = (selector: NonNullable<Deployment['spec']>['selector']): Deployment => ({ ...web, spec: { ...web.spec!, selector } });
    expect(deploymentPrinter.cells(withSelector({}), NOW)[7]).toBe('');
    expect(deploymentPrinter.cells(withSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), NOW)[7]).toBe('<invalid>');
  });
});
