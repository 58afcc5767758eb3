import { Backend } from '../store/backend.js';
import { Mvcc } from '../store/mvcc.js';
import { registryConformance } from './registry.conformance.js';

registryConformance(async () => {
  const kv = await Mvcc.open({ backend: await Backend.open() });
  return { kv, close: () => kv.close() };
});
