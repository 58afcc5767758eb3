import type { DescribeWriter } from './describe-writer.js';

type Json = Record<string, any>;

/**
 * A ConfigMap as `kubectl describe configmap` shows it: each key, a rule, its value.
 *
 *   Data
 *   ====
 *   lives:
 *   ----
 *   3
 */
export function describeConfigMap(w: DescribeWriter, cm: Json): void {
  w.header(cm.metadata);
  w.blank();
  w.line(0, 'Data');
  w.line(0, '====');
  for (const k of Object.keys(cm.data ?? {}).sort()) {
    w.line(0, `${k}:`);
    w.line(0, '----');
    for (const line of String(cm.data[k]).split('\n')) w.line(0, line);
    w.blank();
  }
  w.blank();
  w.line(0, 'BinaryData');
  w.line(0, '====');
  for (const k of Object.keys(cm.binaryData ?? {}).sort()) w.line(0, `${k}: ${Buffer.from(String(cm.binaryData[k]), 'base64').length} bytes`);
  w.blank();
}

/** A Secret: its type and the size of each value, never the values. */
export function describeSecret(w: DescribeWriter, secret: Json): void {
  w.header(secret.metadata);
  w.blank();
  w.line(0, 'Type:', secret.type ?? 'Opaque');
  w.blank();
  w.line(0, 'Data');
  w.line(0, '====');
  for (const k of Object.keys(secret.data ?? {}).sort()) w.line(0, `${k}:`, `${Buffer.from(String(secret.data[k]), 'base64').length} bytes`);
}

/** A Namespace: its phase; minik serves no quotas or limit ranges to list. */
export function describeNamespace(w: DescribeWriter, ns: Json): void {
  w.line(0, 'Name:', ns.metadata?.name ?? '');
  w.map(0, 'Labels:', ns.metadata?.labels);
  w.annotations(0, ns.metadata?.annotations);
  w.line(0, 'Status:', ns.status?.phase ?? 'Active');
}
