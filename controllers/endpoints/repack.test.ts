import { describe, expect, it } from 'vitest';
import { repackSubsets } from './repack.js';

const http = { name: 'http', port: 80 };
const https = { name: 'https', port: 443 };

describe('repackSubsets', () => {
  it('merges subsets of the same ports and sorts addresses by IP (the doc example)', () => {
    expect(
      repackSubsets([
        { addresses: [{ ip: '10.0.0.2' }], ports: [http] },
        { addresses: [{ ip: '10.0.0.1' }], ports: [http] },
        { notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [http] },
      ]),
    ).toEqual([{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [http] }]);
  });

  it('puts the ports that the same addresses serve into one subset', () => {
    const out = repackSubsets([
      { addresses: [{ ip: '10.0.0.1' }], ports: [http] },
      { addresses: [{ ip: '10.0.0.1' }], ports: [https] },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.ports).toHaveLength(2);
    expect(out[0]!.ports).toEqual(expect.arrayContaining([http, https]));
  });

  it('lets not ready win over ready for the same address and port', () => {
    expect(
      repackSubsets([
        { addresses: [{ ip: '10.0.0.1' }], ports: [http] },
        { notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [http] },
      ]),
    ).toEqual([{ notReadyAddresses: [{ ip: '10.0.0.1' }], ports: [http] }]);
  });

  it('keeps two pods with one IP apart, ordered by UID, and keeps port-less subsets', () => {
    const a = { ip: '10.0.0.1', targetRef: { uid: 'b' } };
    const b = { ip: '10.0.0.1', targetRef: { uid: 'a' } };
    expect(repackSubsets([{ addresses: [a] }, { addresses: [b] }])).toEqual([{ addresses: [b, a] }]);
  });

  it('gives one answer whatever the order of its input', () => {
    const subsets = [
      { addresses: [{ ip: '10.0.0.1' }], ports: [http] },
      { addresses: [{ ip: '10.0.0.2' }], ports: [https] },
      { notReadyAddresses: [{ ip: '10.0.0.3' }], ports: [https] },
    ];
    expect(repackSubsets([...subsets].reverse())).toEqual(repackSubsets(subsets));
  });
});
