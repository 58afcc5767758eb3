import { describe, expect, it } from 'vitest';
import { outcome, planMapPatch, splitChanges } from './label.js';

describe('splitChanges', () => {
  it('separates resources from KEY=VALUE and KEY- arguments', () => {
    expect(splitChanges(['pods', 'web', 'app=web', 'tier-'], 'label')).toEqual({ resourceArgs: ['pods', 'web'], changes: { set: { app: 'web' }, remove: ['tier'] } });
    expect(splitChanges(['deploy/web', 'app.kubernetes.io/name=x'], 'label').changes.set).toEqual({ 'app.kubernetes.io/name': 'x' });
  });

  it('needs at least one change, and refuses setting and removing one key at once', () => {
    expect(() => splitChanges(['pods', 'web'], 'label')).toThrow('at least one label update is required');
    expect(() => splitChanges(['pods', 'web', 'a=1', 'a-'], 'annotation')).toThrow('can not both modify and remove annotations');
  });
});

describe('planMapPatch', () => {
  it('sets new keys and removes present ones, as a merge patch', () => {
    expect(planMapPatch({ app: 'web' }, { set: { tier: 'front' }, remove: ['app'] }, false)).toEqual({ tier: 'front', app: null });
  });

  it('plans nothing when nothing would change', () => {
    expect(planMapPatch({ app: 'web' }, { set: { app: 'web' }, remove: ['gone'] }, false)).toBeUndefined();
  });

  it('takes a key named like an inherited member for a key: new, not one that "already has a value"', () => {
    expect(planMapPatch({ app: 'web' }, { set: { constructor: 'x' } as Record<string, string>, remove: [] }, false)).toEqual({ constructor: 'x' });
    const set = splitChanges(['pods', 'web', '__proto__=y'], 'label').changes.set;
    expect(JSON.stringify(planMapPatch({}, { set, remove: [] }, false))).toBe('{"__proto__":"y"}');
  });

  it('refuses to change a value without --overwrite, as kubectl words it', () => {
    expect(() => planMapPatch({ app: 'web' }, { set: { app: 'api' }, remove: [] }, false)).toThrow("'app' already has a value (web), and --overwrite is false");
    expect(planMapPatch({ app: 'web' }, { set: { app: 'api' }, remove: [] }, true)).toEqual({ app: 'api' });
  });
});

describe('outcome', () => {
  it("says what kubectl says of the change: unlabeled when, without --overwrite, the labels got shorter", () => {
    expect(outcome('label', { app: 'web' }, { app: null }, false)).toBe('unlabeled');
    expect(outcome('label', { app: 'web' }, { app: null }, true)).toBe('labeled');
    expect(outcome('label', { app: 'web' }, { tier: 'front', app: null }, false)).toBe('labeled');
    expect(outcome('label', { app: 'web' }, undefined, false)).toBe('not labeled');
    expect(outcome('annotation', { note: 'x' }, undefined, false)).toBe('annotated');
    expect(outcome('annotation', { note: 'x' }, { note: null }, false)).toBe('annotated');
  });
});
