import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkKeyPair, pemBlocks } from './tls-key-pair.js';

const TLS = join(import.meta.dirname, '..', '..', 'test', 'support', 'tls');
const pem = (name: string) => readFileSync(join(TLS, name));

describe('a certificate and its private key, as kubectl create secret tls checks them', () => {
  it('behaves as its doc comment says', () => {
    expect(() => checkKeyPair(pem('web.crt'), pem('web.key'))).not.toThrow();
    expect(() => checkKeyPair(pem('web.crt'), pem('other.key'))).toThrow('tls: private key does not match public key');
    expect(() => checkKeyPair(pem('web.key'), pem('web.crt'))).toThrow(
      'tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched',
    );
  });

  it('takes RSA keys of PKCS #1 and #8, EC keys of SEC 1, and Ed25519 keys', () => {
    for (const [cert, key] of [
      ['web.crt', 'web-pkcs1.key'],
      ['ec.crt', 'ec.key'],
      ['ed.crt', 'ed.key'],
    ] as const) {
      expect(() => checkKeyPair(pem(cert), pem(key)), `${cert} ${key}`).not.toThrow();
    }
  });

  it("refuses in Go's words", () => {
    expect(() => checkKeyPair(pem('web.crt'), pem('ec.key'))).toThrow('tls: private key type does not match public key type');
    expect(() => checkKeyPair(pem('ec.crt'), pem('web.key'))).toThrow('tls: private key type does not match public key type');
    expect(() => checkKeyPair(pem('web.crt'), pem('web.crt'))).toThrow('tls: found a certificate rather than a key in the PEM for the private key');
    expect(() => checkKeyPair(Buffer.from('A=1\n'), pem('web.key'))).toThrow('tls: failed to find any PEM data in certificate input');
    expect(() => checkKeyPair(pem('web.crt'), Buffer.from('A=1\n'))).toThrow('tls: failed to find any PEM data in key input');
    const request = Buffer.from('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n');
    expect(() => checkKeyPair(request, pem('web.key'))).toThrow(
      'tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [CERTIFICATE REQUEST]',
    );
    expect(() => checkKeyPair(pem('web.crt'), Buffer.concat([request, request]))).toThrow(
      'tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [CERTIFICATE REQUEST CERTIFICATE REQUEST]',
    );
    const garbage = Buffer.from('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n');
    expect(() => checkKeyPair(pem('web.crt'), garbage)).toThrow('tls: failed to parse private key');
  });

  it('finds PEM blocks among other text, skipping one whose body is not base64', () => {
    const text = Buffer.concat([Buffer.from('a comment\n-----BEGIN X-----\nnot base64!\n-----END X-----\n'), pem('web.crt'), Buffer.from('trailing\n')]);
    expect(pemBlocks(text).map((b) => b.type)).toEqual(['CERTIFICATE']);
    expect(() => checkKeyPair(Buffer.concat([pem('web.key'), pem('web.crt')]), pem('web.key'))).not.toThrow();
  });
});
