import { describe, expect, it } from 'vitest';
import type { ControllerFactory } from './controller.js';
import { selectControllers } from './all.js';

const f: ControllerFactory = () => ({ name: 'x', start: () => {}, stop: async () => {} });
const all = new Map([['deployment', f], ['replicaset', f], ['garbagecollector', f]]);

describe('selectControllers', () => {
  it('reads --controllers as kube-controller-manager does: *, names, and -name wherever it stands', () => {
    expect([...selectControllers('*', all).keys()]).toEqual(['deployment', 'replicaset', 'garbagecollector']);
    expect([...selectControllers('-garbagecollector,*', all).keys()]).toEqual(['deployment', 'replicaset']);
    expect([...selectControllers('replicaset', all).keys()]).toEqual(['replicaset']);
  });

  it('names the controllers there are when given one that is not', () => {
    expect(() => selectControllers('*,-replicaset,cronjob', all)).toThrow('unknown controller "cronjob" in --controllers: choose from deployment, replicaset, garbagecollector');
  });
});
