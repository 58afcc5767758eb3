import { describe, expect, it } from 'vitest';
import { describeServiceAccount } from './describe-service-account.js';
import { DescribeWriter } from './describe-writer.js';

describe('describeServiceAccount', () => {
  it('lists pull, mountable and token secrets under one-width headers, marking those that do not exist', () => {
    const w = new DescribeWriter();
    const secrets = [
      { metadata: { name: 's1' } },
      { metadata: { name: 'builder-token', annotations: { 'kubernetes.io/service-account.name': 'builder' } }, type: 'kubernetes.io/service-account-token' },
    ];
    describeServiceAccount(w, { metadata: { name: 'builder', namespace: 'default' }, secrets: [{ name: 's1' }, { name: 's2' }], imagePullSecrets: [{ name: 'reg' }] }, secrets);
    expect(w.text()).toBe(
      [
        'Name:                builder',
        'Namespace:           default',
        'Labels:              <none>',
        'Annotations:         <none>',
        'Image pull secrets:  reg (not found)',
        'Mountable secrets:   s1',
        '                     s2 (not found)',
        'Tokens:              builder-token',
        '',
      ].join('\n'),
    );
  });
});
