import { fieldReader } from './field-path.js';
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
  let matches = compiled.get(selector);
  if (!matches) {
    matches = compile(selector);
    // Only a selector no one can change keeps its compiled form (stages are frozen once loaded).
    if (Object.isFrozen(selector)) compiled.set(selector, matches);
  }
  return matches(obj);
}

const compiled = new WeakMap<StageSelector, (obj: unknown) => boolean>();
const labelsOf = fieldReader('.metadata.labels');
const annotationsOf = fieldReader('.metadata.annotations');

/** The selector as one test, its paths parsed and its parts listed once: a node simulator asks it of every object it looks at. */
function compile(selector: StageSelector): (obj: unknown) => boolean {
  const labels = selector.matchLabels ? Object.entries(selector.matchLabels) : undefined;
  const annotations = selector.matchAnnotations ? Object.entries(selector.matchAnnotations) : undefined;
  const expressions = (selector.matchExpressions ?? []).map((e) => ({ read: fieldReader(e.key), operator: e.operator, values: e.values ?? [] }));
  return (obj) => {
    if (labels && !mapMatches(labels, labelsOf(obj))) return false;
    if (annotations && !mapMatches(annotations, annotationsOf(obj))) return false;
    for (const e of expressions) {
      const value = e.read(obj);
      switch (e.operator) {
        case 'Exists':
          if (value === undefined) return false;
          break;
        case 'DoesNotExist':
          if (value !== undefined) return false;
          break;
        case 'In':
          if (!isIn(value, e.values)) return false;
          break;
        case 'NotIn':
          if (isIn(value, e.values)) return false;
          break;
      }
    }
    return true;
  };
}

function isIn(value: unknown, values: readonly string[]): boolean {
  const scalar = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  return scalar && values.includes(String(value));
}

function mapMatches(want: ReadonlyArray<[string, string]>, have: unknown): boolean {
  const map = (typeof have === 'object' && have !== null ? have : {}) as Record<string, unknown>;
  for (const [k, v] of want) if (!Object.hasOwn(map, k) || map[k] !== v) return false;
  return true;
}
