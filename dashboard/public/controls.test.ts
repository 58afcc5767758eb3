import { describe, expect, it, vi } from 'vitest';
import { cordonCall, deletePodCall, heartbeatsCall, scaleCall, send, speedCall, speedOf } from './controls.js';

describe('the controls', () => {
  it('send what kubectl sends', () => {
    expect(scaleCall('default', 'web', 5)).toEqual({
      method: 'PATCH',
      path: '/apis/apps/v1/namespaces/default/deployments/web/scale',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 5 } },
    });
    expect(scaleCall('default', 'web', -1).body).toEqual({ spec: { replicas: 0 } });
    expect(deletePodCall('default', 'web-1')).toMatchObject({ method: 'DELETE', path: '/api/v1/namespaces/default/pods/web-1' });
    expect(heartbeatsCall('node-2', true).body).toEqual({ metadata: { annotations: { 'minik.dev/heartbeats': 'stopped' } } });
    expect(heartbeatsCall('node-2', false).body).toEqual({ metadata: { annotations: { 'minik.dev/heartbeats': null } } });
    expect(cordonCall('node-3', true).body).toEqual({ spec: { unschedulable: true } });
    expect(cordonCall('node-3', false).body).toEqual({ spec: { unschedulable: null } });
  });

  it('write the speed into kube-system/minik-config, creating it the first time', () => {
    expect(speedCall(2, false)).toMatchObject({
      method: 'POST',
      path: '/api/v1/namespaces/kube-system/configmaps',
      body: { metadata: { name: 'minik-config', namespace: 'kube-system' }, data: { speed: '2' } },
    });
    expect(speedCall(0.5, true)).toMatchObject({ method: 'PATCH', path: '/api/v1/namespaces/kube-system/configmaps/minik-config', body: { data: { speed: '0.5' } } });
    expect(speedOf({ data: { speed: '0.2' } })).toBe(0.2);
    expect(speedOf({ data: { speed: 'fast' } })).toBeUndefined();
  });

  it('surface the API refusal in its own words', async () => {
    const fetchFn = vi.fn(async () => new Response(JSON.stringify({ kind: 'Status', message: 'deployments.apps "web" not found', code: 404 }), { status: 404 }));
    await expect(send(scaleCall('default', 'web', 1), fetchFn as unknown as typeof fetch)).rejects.toThrow('deployments.apps "web" not found');
    expect(fetchFn).toHaveBeenCalledWith('/apis/apps/v1/namespaces/default/deployments/web/scale', expect.objectContaining({
      method: 'PATCH',
      headers: expect.objectContaining({ 'Content-Type': 'application/merge-patch+json' }),
    }));
  });
});
