/**
 * Which images the simulated registry cannot serve, and the error the kubelet reports for them
 * (containerd's wording). An image fails to pull when its registry host ends in `.invalid`
 * (RFC 2606 reserves the name, so it can never resolve) or when its tag is `missing`:
 *
 *   imagePullError('nginx')                    // undefined: it pulls
 *   imagePullError('nginx:missing')
 *   // 'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:missing":
 *   //  failed to resolve reference "docker.io/library/nginx:missing": docker.io/library/nginx:missing: not found'
 *   imagePullError('registry.invalid/web')     // '... dial tcp: lookup registry.invalid: no such host'
 */
export function imagePullError(image: string): string | undefined {
  const ref = normalizeImage(image);
  const hostname = ref.host.replace(/:\d+$/, '');
  if (hostname.endsWith('.invalid')) {
    const full = `${ref.host}/${ref.path}:${ref.tag}`;
    return (
      `rpc error: code = Unknown desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ` +
      `failed to do request: Head "https://${ref.host}/v2/${ref.path}/manifests/${ref.tag}": dial tcp: lookup ${hostname}: no such host`
    );
  }
  if (ref.tag === 'missing') {
    const full = `${ref.host}/${ref.path}:${ref.tag}`;
    return `rpc error: code = NotFound desc = failed to pull and unpack image "${full}": failed to resolve reference "${full}": ${full}: not found`;
  }
  return undefined;
}

/** Splits a reference the way the container runtime reads it: docker.io and library/ by default. */
export function normalizeImage(image: string): { host: string; path: string; tag: string } {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.indexOf('/');
  const first = slash < 0 ? '' : noDigest.slice(0, slash);
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasHost ? first : 'docker.io';
  let rest = hasHost ? noDigest.slice(slash + 1) : noDigest;
  const colon = rest.lastIndexOf(':');
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : 'latest';
  if (colon > rest.lastIndexOf('/')) rest = rest.slice(0, colon);
  const path = host === 'docker.io' && !rest.includes('/') ? `library/${rest}` : rest;
  return { host, path, tag };
}
