import { describe, expect, it } from 'vitest';
import { containersCells } from './containers-cells.js';

describe('containersCells', () => {
  it('renders the doc example', () => {
    expect(
      containersCells({
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.27' },
            { name: 'log', image: 'busybox' },
          ],
        },
      }),
    ).toEqual(['web,log', 'nginx:1.27,busybox']);
  });

  it('prints nothing for a template without containers', () => {
    expect(containersCells(undefined)).toEqual(['', '']);
  });
});
