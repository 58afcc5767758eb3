import { describe, expect, it } from 'vitest';
import { wantsAggregated } from './wants-aggregated.js';

const KUBECTL =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
/** What @kubernetes/client-node's generated API classes send. */
const CLIENT_NODE = 'application/json, */*;q=0.8';

describe('wantsAggregated', () => {
  it("takes kubectl's Accept as a request for the aggregated form", () => {
    expect(wantsAggregated(KUBECTL)).toBe(true);
  });

  it("answers client-node's Accept, plain JSON and no Accept with the legacy form", () => {
    expect(wantsAggregated(CLIENT_NODE)).toBe(false);
    expect(wantsAggregated('application/json')).toBe(false);
    expect(wantsAggregated('*/*')).toBe(false);
    expect(wantsAggregated('')).toBe(false);
    expect(wantsAggregated(undefined)).toBe(false);
  });

  it('answers a client that accepts only v2beta1 with the legacy form, since only v2 is served', () => {
    expect(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json')).toBe(false);
  });

  it('follows the order of preference, q first', () => {
    expect(wantsAggregated('application/json,application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe(false);
    expect(wantsAggregated('application/json;q=0.5, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList')).toBe(true);
    expect(wantsAggregated('application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;q=0, application/json')).toBe(false);
  });

  it('skips forms it cannot serve and reads parameters in any order and spacing', () => {
    expect(wantsAggregated('application/vnd.kubernetes.protobuf, application/json; as=APIGroupDiscoveryList; v=v2; g=apidiscovery.k8s.io')).toBe(true);
    expect(wantsAggregated('application/json;as=Table;v=v1;g=meta.k8s.io, application/json')).toBe(false);
  });
});
