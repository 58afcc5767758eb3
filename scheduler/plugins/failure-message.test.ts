import { expect, it } from 'vitest';
import { failureMessage } from './failure-message.js';

it('counts and sorts reasons as upstream (doc example)', () => {
  expect(failureMessage(3, [['node(s) were unschedulable'], ['Insufficient cpu'], ['Insufficient cpu']])).toBe(
    '0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.',
  );
});

it('counts every reason of a node that gives several', () => {
  expect(failureMessage(2, [['Insufficient cpu', 'Insufficient memory'], ['Insufficient memory']])).toBe(
    '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
  );
});

it('sorts the counted strings, so 10 comes before 2, as Go does', () => {
  const reasons = [...Array<string[]>(10).fill(['b']), ['a'], ['a']];
  expect(failureMessage(12, reasons)).toBe('0/12 nodes are available: 10 b, 2 a.');
});
