import { describe, expect, it } from 'vitest';
import { rolloutStatusMessage } from './rollout-status.js';

const web = (status: Record<string, unknown>, generation = 2, replicas = 3) => ({ metadata: { name: 'web', generation }, spec: { replicas }, status: { observedGeneration: 2, ...status } });

describe('rolloutStatusMessage', () => {
  it("says what kubectl says at each step of a rollout", () => {
    expect(rolloutStatusMessage(web({}, 3))).toEqual({ message: 'Waiting for deployment spec update to be observed...', done: false });
    expect(rolloutStatusMessage(web({ replicas: 4, updatedReplicas: 1 }))).toEqual({
      message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      done: false,
    });
    expect(rolloutStatusMessage(web({ replicas: 4, updatedReplicas: 3 })).message).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(rolloutStatusMessage(web({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 })).message).toBe(
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
    );
    expect(rolloutStatusMessage(web({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }))).toEqual({ message: 'deployment "web" successfully rolled out', done: true });
  });

  it('fails once the progress deadline has passed', () => {
    const stuck = web({ replicas: 4, updatedReplicas: 1, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });
    expect(() => rolloutStatusMessage(stuck)).toThrow('deployment "web" exceeded its progress deadline');
  });

  it('counts a Deployment without spec.replicas as one replica', () => {
    expect(rolloutStatusMessage({ metadata: { name: 'one', generation: 1 }, spec: {}, status: { observedGeneration: 1 } }).message).toBe(
      'Waiting for deployment "one" rollout to finish: 0 out of 1 new replicas have been updated...',
    );
  });
});
