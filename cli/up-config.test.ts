import { describe, expect, it } from 'vitest';
import { checkUpConfig, componentSpecs, type UpConfig } from './up-config.js';

const config: UpConfig = {
  dataDir: '.minik',
  kubeconfig: '/h/.minik/config',
  storePort: 2379,
  apiserverPort: 6443,
  schedulerPort: 10259,
  controllerManagerPort: 10257,
  kubeletPort: 10250,
  nodes: 3,
  speed: 1,
  explain: true,
};

describe('componentSpecs', () => {
  it('runs the API server on minik\'s own store by default', () => {
    const specs = componentSpecs(config, '/d/store');
    expect(specs.map((s) => s.name)).toEqual(['store', 'apiserver', 'controller-manager', 'scheduler', 'kubelet-sim']);
    expect(specs[0]!.args).toEqual(['store', '--port', '2379', '--data-dir', '/d/store']);
    expect(specs[1]!.args).toEqual(['apiserver', '--port', '6443', '--store', 'http://127.0.0.1:2379']);
    expect(specs[3]!.args).toEqual(['scheduler', '--port', '10259', '--server', 'http://127.0.0.1:6443', '--explain']);
    expect(specs[4]!.args).toEqual(['kubelet-sim', '--port', '10250', '--server', 'http://127.0.0.1:6443', '--nodes', '3', '--speed', '1']);
  });

  it('runs the scheduler without explanations with --no-explain', () => {
    expect(componentSpecs({ ...config, explain: false }, '/d/store')[3]!.args).toEqual(['scheduler', '--port', '10259', '--server', 'http://127.0.0.1:6443']);
  });

  it('starts no store with --store, and points the API server at it', () => {
    const specs = componentSpecs({ ...config, store: 'http://10.0.0.1:2379,http://10.0.0.2:2379' }, '/d/store');
    expect(specs.map((s) => s.name)).not.toContain('store');
    expect(specs[0]!.args).toEqual(['apiserver', '--port', '6443', '--store', 'http://10.0.0.1:2379,http://10.0.0.2:2379']);
  });
});

describe('checkUpConfig', () => {
  it('accepts the defaults', () => {
    expect(checkUpConfig(config)).toBeUndefined();
  });

  it('refuses two components on one port, naming both flags', () => {
    expect(checkUpConfig({ ...config, schedulerPort: 10250 })).toBe('--scheduler-port and --kubelet-port are both 10250: give each component its own port');
  });

  it('ignores the store port when the store is external', () => {
    expect(checkUpConfig({ ...config, store: 'http://127.0.0.1:6443', storePort: 6443 })).toBeUndefined();
  });

  it('refuses a --store that is not a list of http URLs', () => {
    expect(checkUpConfig({ ...config, store: 'http://a:2379,etcd-2:2379' })).toMatch(/"etcd-2:2379" is not an http\(s\) URL/);
  });

  it('refuses port 0: other components could not find a port chosen at random', () => {
    expect(checkUpConfig({ ...config, apiserverPort: 0 })).toMatch(/^--apiserver-port 0: /);
  });
});
