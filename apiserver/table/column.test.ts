import { describe, expect, it } from 'vitest';
import { column } from './column.js';

describe('column', () => {
  it('renders the doc example, spelling out format and priority', () => {
    expect(column('IP', "The pod's IP address.", { wide: true })).toEqual({
      name: 'IP',
      type: 'string',
      format: '',
      description: "The pod's IP address.",
      priority: 1,
    });
  });
});
