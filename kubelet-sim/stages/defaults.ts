import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { deepFreeze } from '../../api/deep-freeze.js';
import { parseStage, type Stage } from './stage.js';

/**
 * The stages minik simulates by default, one YAML file each in `defaults/`, in file-name order:
 *
 *   pod:  bound → pod-pending (ContainerCreating) → pod-running (IP, startTime, Ready)
 *         with a readiness probe: → pod-running-probed (IP, startTime) → pod-ready (after initialDelaySeconds)
 *         bound, a ConfigMap or Secret missing → pod-config-error (CreateContainerConfigError),
 *           until it exists → pod-running
 *         → pod-complete (Succeeded; Never/OnFailure pods annotated minik.dev/completes: "true")
         with init containers: pod-init-pending (Init:0/N) → pod-init-start → pod-init-complete,
           one per init container → pod-initialized → pod-running
         an image that cannot be pulled: → pod-image-pull-error (ErrImagePull) → pod-image-pull-backoff
           → pod-image-pull-retry → ... until the image is changed → pod-running
         minik.dev/crash, or a non-zero minik.dev/exit-code: Ready → pod-container-error → pod-container-
           restart (first time) or pod-crash-loop-backoff → pod-crash-loop-restart → pod-ready;
           restartPolicy Never → pod-failed
 *         deleted → pod-terminating (if Running) → pod-delete (grace 0)
 *   node: registered → node-initialize (Ready) → node-heartbeat, repeated
 *         annotated minik.dev/heartbeats: "stopped" → silent (the node lifecycle controller marks it Unknown) → node-resume
 *           once the annotation is gone
 *
 * No two default stages match the same object, so their order does not change behaviour.
 *
 *   defaultStages().map((s) => s.name).includes('pod-ready')   // true
 */
export function defaultStages(): readonly Stage[] {
  // Every node simulator of a process (the simulated cluster starts one per restart) reads them once.
  return (cached ??= Object.freeze(loadStages(defaultsDir()).map((s) => deepFreeze(s) as Stage)));
}
let cached: readonly Stage[] | undefined;

/** Every `*.yaml` stage in a folder, validated; a bad file fails with its name in the message. */
export function loadStages(dir: string): Stage[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parseStage(parse(readFileSync(`${dir}/${f}`, 'utf8')), f));
}

// tsc copies no YAML into dist/, so the compiled module falls back to the source folder, which
// dist/ mirrors (rootDir is the project root).
function defaultsDir(): string {
  const beside = fileURLToPath(new URL('./defaults', import.meta.url));
  if (existsSync(beside)) return beside;
  return fileURLToPath(new URL('../../../kubelet-sim/stages/defaults', import.meta.url));
}
