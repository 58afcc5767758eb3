import { readField } from './field-path.js';
import type { StageSelector } from './stage.js';

/**
 * Whether an object satisfies every part of a stage selector (an empty selector matches all).
 * A missing or null field is absent: `Exists` fails, `DoesNotExist` and `NotIn` hold, so a
 * selector can say "not yet Running" of a pod that has no phase at all. `In` compares scalars as
 * strings, as YAML stage files write them.
 *
 *   selectorMatches({ matchExpressions: [{ key: '.status.phase', operator: 'NotIn', values: ['Running'] }] },
 *                   { status: {} })   // true
 */
export function selectorMatches(selector: StageSelector, obj: unknown): boolean {
  if (!mapMatches(selector.matchLabels, readField(obj, '.metadata.labels'))) return false;
  if (!mapMatches(selector.matchAnnotations, readField(obj, '.metadata.annotations'))) return false;
  return (selector.matchExpressions ?? []).every((e) => {
    const value = readField(obj, e.key);
    switch (e.operator) {
      case 'Exists':
        return value !== undefined;
      case 'DoesNotExist':
        return value === undefined;
      case 'In':
        return isIn(value, e.values ?? []);
      case 'NotIn':
        return !isIn(value, e.values ?? []);
    }
  });
}

function isIn(value: unknown, values: readonly string[]): boolean {
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return scalar && values.includes(String(value));
}

function mapMatches(want: Readonly<Record<string, string>> | undefined, have: unknown): boolean {
  if (!want) return true;
  const map = (typeof have === 'object' && have !== null ? have : {}) as Record<string, unknown>;
  return Object.entries(want).every(([k, v]) => Object.hasOwn(map, k) && map[k] === v);
}
