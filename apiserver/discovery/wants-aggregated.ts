/**
 * Whether a discovery request (`GET /api`, `GET /apis`) prefers the aggregated form. The Accept
 * header lists media ranges in order of preference, and `q` reorders them; the first range this
 * server can answer decides. kubectl 1.32 sends
 *
 *   application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,
 *   application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json
 *
 * and gets the aggregated v2 form; `application/json` alone gets the legacy form. Only v2 is
 * served: a client that accepts v2beta1 and plain JSON but not v2 gets the legacy form, which
 * every client that speaks v2beta1 also reads.
 */
export function wantsAggregated(accept: string | undefined): boolean {
  for (const range of mediaRanges(accept ?? '')) {
    if (isAggregatedV2(range)) return true;
    if (isPlainJson(range)) return false;
  }
  return false;
}

interface MediaRange {
  type: string;
  params: Map<string, string>;
  q: number;
}

function mediaRanges(accept: string): MediaRange[] {
  const ranges = accept
    .split(',')
    .map((part): MediaRange => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params = new Map<string, string>();
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1'));
      }
      const q = params.has('q') ? Number(params.get('q')) : 1;
      params.delete('q');
      return { type: type.toLowerCase(), params, q: Number.isFinite(q) ? q : 0 };
    })
    .filter((r) => r.type !== '' && r.q > 0);
  // Array.prototype.sort is stable, so ranges of equal q keep the client's order.
  return ranges.sort((a, b) => b.q - a.q);
}

function isAggregatedV2(r: MediaRange): boolean {
  return (
    r.type === 'application/json' &&
    r.params.get('g') === 'apidiscovery.k8s.io' &&
    r.params.get('v') === 'v2' &&
    r.params.get('as') === 'APIGroupDiscoveryList'
  );
}

function isPlainJson(r: MediaRange): boolean {
  const json = r.type === 'application/json' || r.type === 'application/*' || r.type === '*/*';
  return json && !r.params.has('as') && !r.params.has('g') && !r.params.has('v');
}
