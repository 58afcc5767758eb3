import { describe, expect, it } from 'vitest';
import { exposeService } from './expose.js';

const web = {
  metadata: { name: 'web', labels: { app: 'web' } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 443 }] }] } } },
};

describe('exposeService', () => {
  it("selects the Deployment's pods on the given port, the target port defaulting to it", () => {
    expect(exposeService(web, 'Deployment', { port: '80' })).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', creationTimestamp: null, labels: { app: 'web' } },
      spec: { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }], selector: { app: 'web' } },
      status: { loadBalancer: {} },
    });
  });

  it('takes the target port, the type and the name', () => {
    const svc = exposeService(web, 'Deployment', { port: '80', targetPort: 'http', type: 'NodePort', name: 'web-np' });
    expect(svc.metadata.name).toBe('web-np');
    expect(svc.spec).toMatchObject({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http' }] });
  });

  it('without --port, exposes every container port, named', () => {
    expect(exposeService(web, 'Deployment', {}).spec.ports).toEqual([
      { name: 'port-1', port: 80, protocol: 'TCP', targetPort: 80 },
      { name: 'port-2', port: 443, protocol: 'TCP', targetPort: 443 },
    ]);
  });

  it("uses a pod's labels as the selector, and refuses a bad type", () => {
    expect(exposeService({ metadata: { name: 'p', labels: { run: 'p' } }, spec: {} }, 'Pod', { port: '8080' }).spec.selector).toEqual({ run: 'p' });
    expect(() => exposeService(web, 'Deployment', { port: '80', type: 'External' })).toThrow('invalid service type: External');
  });
});
