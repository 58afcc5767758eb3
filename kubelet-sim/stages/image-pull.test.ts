import { describe, expect, it } from 'vitest';
import { imagePullError, normalizeImage } from './image-pull.js';

describe('imagePullError', () => {
  it('follows the worked example', () => {
    expect(imagePullError('nginx')).toBeUndefined();
    expect(imagePullError('nginx:missing')).toBe(
      'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:missing": ' +
        'failed to resolve reference "docker.io/library/nginx:missing": docker.io/library/nginx:missing: not found',
    );
    expect(imagePullError('registry.invalid/web')).toBe(
      'rpc error: code = Unknown desc = failed to pull and unpack image "registry.invalid/web:latest": failed to resolve reference ' +
        '"registry.invalid/web:latest": failed to do request: Head "https://registry.invalid/v2/web/manifests/latest": dial tcp: lookup registry.invalid: no such host',
    );
  });

  it('fails only for a .invalid registry host or the tag "missing"', () => {
    expect(imagePullError('ghcr.io/team/app:missing')).toMatch(/: ghcr\.io\/team\/app:missing: not found$/);
    expect(imagePullError('my.registry.invalid:5000/app:v1')).toMatch(/lookup my\.registry\.invalid: no such host$/);
    for (const ok of ['nginx:1.27', 'invalid/app', 'team/missing', 'registry.example/app:missing-not', 'localhost:5000/app']) expect(imagePullError(ok)).toBeUndefined();
  });

  it('normalizes references as the runtime does', () => {
    expect(normalizeImage('nginx')).toEqual({ host: 'docker.io', path: 'library/nginx', tag: 'latest' });
    expect(normalizeImage('team/app:v2')).toEqual({ host: 'docker.io', path: 'team/app', tag: 'v2' });
    expect(normalizeImage('localhost:5000/app')).toEqual({ host: 'localhost:5000', path: 'app', tag: 'latest' });
    expect(normalizeImage('ghcr.io/a/b:1@sha256:abc')).toEqual({ host: 'ghcr.io', path: 'a/b', tag: '1' });
  });
});
