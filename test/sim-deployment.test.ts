import { describeDeploymentProperty } from './support/deployment-model.js';

/**
 * The first half of the 1,000 scenarios of the Deployment's model-based test (test/support/deployment-model.ts);
 * two files, so that two workers share them.
 * Replay a failure: MINIK_SIM_SEED=<seed> MINIK_SIM_PATH=<path> npx vitest run test/sim-deployment.test.ts
 * Explore other scenarios: MINIK_SIM_BASE_SEED=<n> [MINIK_SIM_SCENARIOS=<total>] npx vitest run test/sim-deployment.test.ts
 */
describeDeploymentProperty(0, 2);
