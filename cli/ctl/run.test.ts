import { describe, expect, it } from 'vitest';
import { runPod } from './run.js';

describe('runPod', () => {
  it('makes the Pod kubectl run makes', () => {
    expect(runPod('web', { image: 'nginx', port: '80' }, [])).toEqual({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', creationTimestamp: null, labels: { run: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
      status: {},
    });
  });

  it('takes labels, env, the restart policy and the arguments after --', () => {
    const pod = runPod('job', { image: 'busybox', labels: 'app=job,tier=batch', env: ['A=1', 'B=x=y'], restart: 'Never' }, ['sleep', '5']);
    expect(pod.metadata.labels).toEqual({ app: 'job', tier: 'batch' });
    expect(pod.spec.restartPolicy).toBe('Never');
    expect(pod.spec.containers[0]).toMatchObject({ args: ['sleep', '5'], env: [{ name: 'A', value: '1' }, { name: 'B', value: 'x=y' }] });
    expect(runPod('c', { image: 'busybox', command: true }, ['sh']).spec.containers[0].command).toEqual(['sh']);
  });

  it('refuses a bad restart policy or port', () => {
    expect(() => runPod('web', { image: 'nginx', restart: 'Sometimes' }, [])).toThrow('invalid restart policy: Sometimes');
    expect(() => runPod('web', { image: 'nginx', port: '99999' }, [])).toThrow('invalid port: 99999');
  });
});
