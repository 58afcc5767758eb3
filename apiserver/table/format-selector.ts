import type { LabelSelector } from '../../api/schemas/meta.js';

/**
 * Labels and label selectors as kubectl prints them: keys in byte order, set values sorted,
 * requirements joined by commas, the same text `-l` accepts:
 *
 *   formatLabels({ tier: 'web', app: 'shop' })                          // "app=shop,tier=web"
 *   selectorString({ matchLabels: { app: 'shop' },
 *     matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa', 'dev'] }] })
 *                                                                       // "app=shop,env notin (dev,qa)"
 */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const text = Object.keys(labels ?? {})
    .sort(byteOrder)
    .map((k) => `${k}=${labels?.[k]}`)
    .join(',');
  return text || '<none>';
}

/** A selector's text; "" selects nothing or everything; undefined when the selector is malformed. */
export function selectorString(selector: LabelSelector | undefined): string | undefined {
  const reqs: Array<{ key: string; text: string }> = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) reqs.push({ key, text: `${key}=${value}` });
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    const set = [...values].sort(byteOrder).join(',');
    switch (operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return undefined;
        reqs.push({ key, text: `${key} ${operator === 'In' ? 'in' : 'notin'} (${set})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) return undefined;
        reqs.push({ key, text: operator === 'Exists' ? key : `!${key}` });
        break;
      default:
        return undefined;
    }
  }
  return reqs
    .sort((a, b) => byteOrder(a.key, b.key))
    .map((r) => r.text)
    .join(',');
}

/** The Selector column of ReplicaSets: "<none>" for an empty selector, "<error>" for a bad one. */
export function formatLabelSelector(selector: LabelSelector | undefined): string {
  const text = selectorString(selector);
  if (text === undefined) return '<error>';
  return text || '<none>';
}

function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
