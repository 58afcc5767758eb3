import type { PodTemplateSpec } from '../../api/schemas/pod.js';

/**
 * The CONTAINERS and IMAGES cells of a pod template, comma-joined in container order:
 *
 *   containersCells({ spec: { containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] } })
 *   // ['web,log', 'nginx:1.27,busybox']
 */
export function containersCells(template: PodTemplateSpec | undefined): [string, string] {
  const containers = template?.spec?.containers ?? [];
  return [containers.map((c) => c.name).join(','), containers.map((c) => c.image ?? '').join(',')];
}
