import { describe, expect, it } from 'vitest';
import { formatStatus } from './status.js';

describe('formatStatus', () => {
  it('lists each component with its status, pid and address, then where to look', () => {
    const text = formatStatus({
      supervisorPid: 4242,
      control: { url: 'http://127.0.0.1:40123', token: 't' },
      dataDir: '/home/ada/p/.minik',
      kubeconfig: '/home/ada/.minik/config',
      dashboard: 'http://127.0.0.1:6443/ui/',
      components: [
        { name: 'store', status: 'external', address: 'http://10.0.0.1:2379', args: [] },
        { name: 'apiserver', status: 'running', pid: 4244, address: 'http://127.0.0.1:6443', args: [] },
        { name: 'scheduler', status: 'stopped', address: 'http://127.0.0.1:10259', args: [] },
      ],
    });
    expect(text.split('\n')).toEqual([
      'COMPONENT            STATUS     PID      ADDRESS',
      'store                external   -        http://10.0.0.1:2379',
      'apiserver            running    4244     http://127.0.0.1:6443',
      'scheduler            stopped    -        http://127.0.0.1:10259',
      '',
      'dashboard            http://127.0.0.1:6443/ui/',
      'kubeconfig           /home/ada/.minik/config',
      'supervisor           pid 4242 (minik up), data in /home/ada/p/.minik',
      '',
    ]);
  });
});
