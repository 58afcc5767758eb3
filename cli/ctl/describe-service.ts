import type { DescribeWriter } from './describe-writer.js';
import { formatSelector } from './describe-workloads.js';

type Json = Record<string, any>;

/**
 * A Service as `kubectl describe service` shows it, with the addresses its Endpoints list:
 *
 *   Name:              web
 *   Selector:          app=web
 *   Type:              ClusterIP
 *   IP:                10.96.0.12
 *   Port:              http  80/TCP
 *   TargetPort:        8080/TCP
 *   Endpoints:         10.244.1.5:8080,10.244.2.7:8080
 */
export function describeService(w: DescribeWriter, svc: Json, endpoints: Json | undefined): void {
  const spec = svc.spec ?? {};
  w.header(svc.metadata);
  w.line(0, 'Selector:', spec.selector ? formatSelector({ matchLabels: spec.selector }) : '<none>');
  w.line(0, 'Type:', spec.type ?? 'ClusterIP');
  if (spec.ipFamilyPolicy) w.line(0, 'IP Family Policy:', spec.ipFamilyPolicy);
  if (spec.ipFamilies) w.line(0, 'IP Families:', spec.ipFamilies.join(','));
  w.line(0, 'IP:', spec.clusterIP ?? '<none>');
  w.line(0, 'IPs:', (spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).join(',') || '<none>');
  const ingress: Json[] = svc.status?.loadBalancer?.ingress ?? [];
  if (ingress.length > 0) w.line(0, 'LoadBalancer Ingress:', ingress.map((i) => `${i.ip || i.hostname || ''}${i.ipMode ? ` (${i.ipMode})` : ''}`).join(', '));
  for (const p of spec.ports ?? []) {
    const name = p.name || '<unset>';
    w.line(0, 'Port:', `${name}  ${p.port}/${p.protocol ?? 'TCP'}`);
    w.line(0, 'TargetPort:', `${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}`);
    if (p.nodePort) w.line(0, 'NodePort:', `${name}  ${p.nodePort}/${p.protocol ?? 'TCP'}`);
    w.line(0, 'Endpoints:', endpointsFor(endpoints, p.name));
  }
  w.line(0, 'Session Affinity:', spec.sessionAffinity ?? 'None');
  if (spec.externalTrafficPolicy) w.line(0, 'External Traffic Policy:', spec.externalTrafficPolicy);
  if (spec.internalTrafficPolicy) w.line(0, 'Internal Traffic Policy:', spec.internalTrafficPolicy);
}

/** The ready addresses of one named port, `ip:port` joined by commas, as kubectl prints them. */
function endpointsFor(ep: Json | undefined, portName: string | undefined): string {
  const out: string[] = [];
  for (const subset of ep?.subsets ?? []) {
    const port = (subset.ports ?? []).find((p: Json) => (p.name ?? '') === (portName ?? '')) ?? (subset.ports?.length === 1 ? subset.ports[0] : undefined);
    if (!port) continue;
    for (const a of subset.addresses ?? []) out.push(`${a.ip}:${port.port}`);
  }
  return out.length > 0 ? out.join(',') : '<none>';
}
