import type { Service } from '../../api/schemas/service.js';
import { age } from './age.js';
import { ageColumn, column, nameColumn } from './column.js';
import { formatLabels } from './format-selector.js';
import type { Printer } from './types.js';

type ServiceSpec = NonNullable<Service['spec']>;

/**
 * NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE | SELECTOR:
 *
 *   ['web', 'NodePort', '10.96.0.20', '<none>', '80:30080/TCP', '2m', 'app=web']
 */
export const servicePrinter: Printer<Service> = {
  columns: [
    nameColumn,
    column('Type', 'How the service is exposed: ClusterIP, NodePort, LoadBalancer or ExternalName.'),
    column('Cluster-IP', 'The IP address of the service inside the cluster.'),
    column('External-IP', 'Addresses outside the cluster that route to the service.'),
    column('Port(s)', 'The ports the service exposes.'),
    ageColumn,
    column('Selector', 'Pods with these labels receive the traffic.', { wide: true }),
  ],

  cells(svc, now) {
    const spec = svc.spec ?? {};
    const type = spec.type ?? 'ClusterIP'; // the server's default
    // A service written with clusterIP alone gets clusterIPs from it on the server.
    const clusterIP = spec.clusterIPs?.[0] ?? spec.clusterIP;
    return [
      svc.metadata?.name ?? '',
      type,
      clusterIP || '<none>',
      externalIP(svc, type),
      ports(spec) || '<none>',
      age(svc.metadata?.creationTimestamp, now),
      formatLabels(spec.selector),
    ];
  },
};

/** "<none>" unless external IPs are set; a load balancer shows its ingress, or "<pending>" until it has one. */
function externalIP(svc: Service, type: string): string {
  const externalIPs = svc.spec?.externalIPs ?? [];
  switch (type) {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const ingress = new Set<string>();
      for (const i of svc.status?.loadBalancer?.ingress ?? []) {
        const at = i.ip || i.hostname;
        if (at) ingress.add(at);
      }
      const all = [...[...ingress].sort(), ...externalIPs];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return svc.spec?.externalName ?? '';
    default:
      return '<unknown>';
  }
}

function ports(spec: ServiceSpec): string {
  return (spec.ports ?? [])
    .map((p) => {
      const protocol = p.protocol ?? 'TCP'; // the server's default
      return p.nodePort ? `${p.port}:${p.nodePort}/${protocol}` : `${p.port}/${protocol}`;
    })
    .join(',');
}
