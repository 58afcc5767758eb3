import { describe, expect, it } from 'vitest';
import { selectorMatches } from './selector-matches.js';

describe('selectorMatches', () => {
  it('treats a missing field as not in any set (the worked example)', () => {
    expect(selectorMatches({ matchExpressions: [{ key: '.status.phase', operator: 'NotIn', values: ['Running'] }] }, { status: {} })).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: '.status.phase', operator: 'In', values: ['Running'] }] }, { status: {} })).toBe(false);
  });

  it('compares scalars as strings and never matches objects with In', () => {
    const obj = { spec: { replicas: 3, paused: false, template: {} } };
    expect(selectorMatches({ matchExpressions: [{ key: '.spec.replicas', operator: 'In', values: ['3'] }] }, obj)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: '.spec.paused', operator: 'In', values: ['false'] }] }, obj)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: '.spec.template', operator: 'In', values: ['{}'] }] }, obj)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: '.spec.template', operator: 'Exists' }] }, obj)).toBe(true);
  });

  it('needs every label and annotation, and matches everything when empty', () => {
    const pod = { metadata: { labels: { app: 'web' }, annotations: { 'minik.dev/completes': 'true' } } };
    expect(selectorMatches({}, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' }, matchAnnotations: { 'minik.dev/completes': 'true' } }, pod)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web', tier: 'fe' } }, pod)).toBe(false);
    expect(selectorMatches({ matchAnnotations: { 'minik.dev/completes': 'false' } }, pod)).toBe(false);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, {})).toBe(false);
  });
});
