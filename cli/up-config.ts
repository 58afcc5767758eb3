/** Everything `minik up` needs to know, from its flags. */
export interface UpConfig {
  dataDir: string;
  storePort: number;
  apiserverPort: number;
  schedulerPort: number;
  controllerManagerPort: number;
  kubeletPort: number;
  nodes: number;
  speed: number;
  /** The scheduler annotates each pod with every node's verdict, which `minikctl describe pod` shows. */
  explain: boolean;
  /** An external store (a real etcd, or a `minik store` run elsewhere): no store process is started. */
  store?: string;
  /** Where the kubeconfig is written (merged into what is there). */
  kubeconfig: string;
}

/** The components in the order `minik up` lists them, and the only names `minik stop|start` accept. */
export const COMPONENT_NAMES = ['store', 'apiserver', 'controller-manager', 'scheduler', 'kubelet-sim'] as const;
export type ComponentName = (typeof COMPONENT_NAMES)[number];

/** How one component is run: its command line, where it answers, and which flag moves its port. */
export interface ComponentSpec {
  name: ComponentName;
  args: string[];
  address: string;
  readyUrl: string;
  port: number;
  portFlag: string;
}

/**
 * The command line of every component `minik up` starts. With an external `store` there is no
 * store process and the API server talks to that store instead.
 *
 *   componentSpecs({ ...config, storePort: 2379, apiserverPort: 6443 })[1].args
 *     // ['apiserver', '--port', '6443', '--store', 'http://127.0.0.1:2379']
 */
export function componentSpecs(config: UpConfig, storeDataDir: string): ComponentSpec[] {
  const api = `http://127.0.0.1:${config.apiserverPort}`;
  const spec = (name: ComponentName, port: number, portFlag: string, args: string[]): ComponentSpec => ({
    name,
    args: [name, '--port', String(port), ...args],
    address: `http://127.0.0.1:${port}`,
    readyUrl: `http://127.0.0.1:${port}/readyz`,
    port,
    portFlag,
  });
  return [
    ...(config.store ? [] : [spec('store', config.storePort, '--store-port', ['--data-dir', storeDataDir])]),
    spec('apiserver', config.apiserverPort, '--apiserver-port', ['--store', config.store ?? `http://127.0.0.1:${config.storePort}`]),
    spec('controller-manager', config.controllerManagerPort, '--controller-manager-port', ['--server', api, '--speed', String(config.speed)]),
    spec('scheduler', config.schedulerPort, '--scheduler-port', ['--server', api, ...(config.explain ? ['--explain'] : [])]),
    spec('kubelet-sim', config.kubeletPort, '--kubelet-port', ['--server', api, '--nodes', String(config.nodes), '--speed', String(config.speed)]),
  ];
}

/**
 * Refuses a configuration that cannot work, before anything starts: two components on one port,
 * or a `--store` that is not a list of http(s) URLs. Answers the one-line reason, or undefined.
 *
 *   checkUpConfig({ ...config, schedulerPort: 10250, kubeletPort: 10250 })
 *     // '--scheduler-port and --kubelet-port are both 10250: give each component its own port'
 */
export function checkUpConfig(config: UpConfig): string | undefined {
  if (config.store !== undefined) {
    const bad = config.store.split(',').find((u) => !isHttpUrl(u.trim()));
    if (bad !== undefined) return `--store ${JSON.stringify(config.store)}: ${JSON.stringify(bad)} is not an http(s) URL such as http://127.0.0.1:2379`;
  }
  const specs = componentSpecs(config, '');
  for (let i = 0; i < specs.length; i++) {
    for (let j = i + 1; j < specs.length; j++) {
      if (specs[i]!.port === specs[j]!.port && specs[i]!.port !== 0) {
        return `${specs[i]!.portFlag} and ${specs[j]!.portFlag} are both ${specs[i]!.port}: give each component its own port`;
      }
    }
  }
  if (specs.some((s) => s.port === 0)) return `${specs.find((s) => s.port === 0)!.portFlag} 0: minik up needs fixed ports, so that kubectl and the other components can find them`;
  return undefined;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}
