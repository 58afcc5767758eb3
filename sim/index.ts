export { SimCluster, type Component, type SimClusterOptions, type SimFaults } from './cluster.js';
export { InProcessClient, Activity, type ClientFaults, type InProcessClientOptions, type WriteRecord } from './in-process-client.js';
export { FakeClock } from '../api/clock.js';
