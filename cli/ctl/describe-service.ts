import type { DescribeWriter } from './describe-writer.js';
import { formatSelector } from './describe-workloads.js';

type Json = Record<string, any>;

/**
 * A Service as `kubectl describe service` shows it, with the ready addresses its EndpointSlices
 * list (the ones labelled `kubernetes.io/service-name` with its name, as kubectl reads them):
 *
 *   Name:              web
 *   Selector:          app=web
 *   Type:              ClusterIP
 *   IP:                10.96.0.12
 *   Port:              http  80/TCP
 *   TargetPort:        8080/TCP
 *   Endpoints:         10.244.1.5:8080,10.244.2.7:8080
 */
export function describeService(w: DescribeWriter, svc: Json, slices: readonly Json[]): void {
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
    w.line(0, 'Endpoints:', formatEndpointSlices(slices, p.name ?? ''));
  }
  w.line(0, 'Session Affinity:', spec.sessionAffinity ?? 'None');
  if (spec.externalTrafficPolicy) w.line(0, 'External Traffic Policy:', spec.externalTrafficPolicy);
  if (spec.internalTrafficPolicy) w.line(0, 'Internal Traffic Policy:', spec.internalTrafficPolicy);
}

/**
 * kubectl's formatEndpointSlices for one port name: the ready endpoints, in the slices' order, at
 * most three then `+ N more...`; `<none>` when there is no slice, nothing when no endpoint is ready.
 * (kubectl counts a not-ready endpoint seen after the third toward "more" but not toward N.)
 *
 *   formatEndpointSlices([slice of 10.244.1.5 and 10.244.2.7, port http 8080], 'http')   // '10.244.1.5:8080,10.244.2.7:8080'
 */
export function formatEndpointSlices(slices: readonly Json[], portName: string): string {
  if (slices.length === 0) return '<none>';
  const MAX = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  const visit = (endpoints: Json[], address: (ip: string) => string) => {
    for (const e of endpoints) {
      if (list.length === MAX) more = true;
      if (e.conditions?.ready === false) continue;
      if (!more) list.push(address(String(e.addresses?.[0] ?? '')));
      count++;
    }
  };
  for (const slice of slices) {
    const ports: Json[] = slice.ports ?? [];
    // A headless Service may have no ports: its endpoints are addresses alone.
    if (ports.length === 0) visit(slice.endpoints ?? [], (ip) => ip);
    for (const port of ports) {
      if ((port.name ?? '') === portName) visit(slice.endpoints ?? [], (ip) => (ip.includes(':') ? `[${ip}]:${port.port}` : `${ip}:${port.port}`));
    }
  }
  const text = list.join(',');
  return more ? `${text} + ${count - MAX} more...` : text;
}
