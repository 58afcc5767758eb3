import { describe, expect, it } from 'vitest';
import { formatLabelSelector, formatLabels, selectorString } from './format-selector.js';

describe('formatLabels', () => {
  it('renders the doc example, and <none> for no labels', () => {
    expect(formatLabels({ tier: 'web', app: 'shop' })).toBe('app=shop,tier=web');
    expect(formatLabels({})).toBe('<none>');
    expect(formatLabels(undefined)).toBe('<none>');
  });

  it('orders keys by bytes, not by locale', () => {
    expect(formatLabels({ b: '1', B: '2', 'a.io/x': '3' })).toBe('B=2,a.io/x=3,b=1');
  });
});

describe('selectorString', () => {
  it('renders the doc example', () => {
    expect(
      selectorString({ matchLabels: { app: 'shop' }, matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['qa', 'dev'] }] }),
    ).toBe('app=shop,env notin (dev,qa)');
  });

  it('renders every operator, requirements sorted by key', () => {
    expect(
      selectorString({
        matchLabels: { tier: 'web' },
        matchExpressions: [
          { key: 'zone', operator: 'In', values: ['b'] },
          { key: 'gpu', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('gpu,!legacy,tier=web,zone in (b)');
  });

  it('is empty for no selector or an empty one, and undefined for a malformed one', () => {
    expect(selectorString(undefined)).toBe('');
    expect(selectorString({})).toBe('');
    expect(selectorString({ matchExpressions: [{ key: 'a', operator: 'In' }] })).toBeUndefined();
    expect(selectorString({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toBeUndefined();
  });
});

describe('formatLabelSelector', () => {
  it('prints <none> for an empty selector and <error> for a malformed one', () => {
    expect(formatLabelSelector({ matchLabels: { app: 'web' } })).toBe('app=web');
    expect(formatLabelSelector({})).toBe('<none>');
    expect(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: [] }] })).toBe('<error>');
  });
});
