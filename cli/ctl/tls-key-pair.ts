import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { CtlError } from './errors.js';

/**
 * Checks a certificate and its private key as `kubectl create secret tls` does (Go's
 * tls.X509KeyPair), refusing with Go's words: the first CERTIFICATE block of `cert`, the first
 * `... PRIVATE KEY` block of `key` (PKCS #1, PKCS #8 or SEC 1), and the key the certificate's
 * public key belongs to.
 *
 *   checkKeyPair(readFileSync('web.crt'), readFileSync('web.key'))     // fine
 *   checkKeyPair(readFileSync('web.crt'), readFileSync('other.key'))   // throws: tls: private key does not match public key
 *   checkKeyPair(readFileSync('web.key'), readFileSync('web.crt'))     // throws: tls: failed to find certificate PEM data in
 *                                                                      //   certificate input, but did find a private key; PEM inputs may have been switched
 */
export function checkKeyPair(cert: Buffer, key: Buffer): void {
  const certBlocks = pemBlocks(cert);
  const certDer = certBlocks.find((b) => b.type === 'CERTIFICATE')?.der;
  if (!certDer) {
    const skipped = certBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new CtlError('tls: failed to find any PEM data in certificate input');
    if (skipped.length === 1 && skipped[0]!.endsWith('PRIVATE KEY')) {
      throw new CtlError('tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched');
    }
    throw new CtlError(`tls: failed to find "CERTIFICATE" PEM block in certificate input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  const keyBlocks = pemBlocks(key);
  const at = keyBlocks.findIndex((b) => b.type === 'PRIVATE KEY' || b.type.endsWith(' PRIVATE KEY'));
  if (at < 0) {
    const skipped = keyBlocks.map((b) => b.type);
    if (skipped.length === 0) throw new CtlError('tls: failed to find any PEM data in key input');
    if (skipped.length === 1 && skipped[0] === 'CERTIFICATE') throw new CtlError('tls: found a certificate rather than a key in the PEM for the private key');
    throw new CtlError(`tls: failed to find PEM block with type ending in "PRIVATE KEY" in key input after skipping PEM blocks of the following types: [${skipped.join(' ')}]`);
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certDer);
  } catch {
    throw new CtlError('x509: malformed certificate');
  }
  const privateKey = parsePrivateKey(keyBlocks[at]!.der);
  const publicType = x509.publicKey.asymmetricKeyType;
  if (!publicType || !KNOWN.has(publicType)) throw new CtlError('tls: unknown public key algorithm');
  if (privateKey.asymmetricKeyType !== publicType) throw new CtlError('tls: private key type does not match public key type');
  if (!x509.checkPrivateKey(privateKey)) throw new CtlError('tls: private key does not match public key');
}

/** The key algorithms Go's TLS takes. */
const KNOWN = new Set(['rsa', 'ec', 'ed25519']);

/** Go's parsePrivateKey: PKCS #1, then PKCS #8 (of a known algorithm), then SEC 1. */
function parsePrivateKey(der: Buffer): KeyObject {
  for (const type of ['pkcs1', 'pkcs8', 'sec1'] as const) {
    let key: KeyObject;
    try {
      key = createPrivateKey({ key: der, format: 'der', type });
    } catch {
      continue;
    }
    if (type === 'pkcs8' && !KNOWN.has(key.asymmetricKeyType ?? '')) throw new CtlError('tls: found unknown private key type in PKCS#8 wrapping');
    return key;
  }
  throw new CtlError('tls: failed to parse private key');
}

interface PemBlock {
  type: string;
  der: Buffer;
}

/**
 * The PEM blocks of a file, in order, as Go's pem.Decode finds them one after another: text
 * around them is skipped, and so is a block whose body is not base64.
 */
export function pemBlocks(text: Buffer): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.toString('latin1').matchAll(PEM_BLOCK)) {
    const [, type, body] = m as unknown as [string, string, string];
    // Headers (`Proc-Type: ...`) end at the first blank line; the body follows.
    const lines = body.split(/\r?\n/);
    const headerEnd = lines.some((l) => l.includes(':')) ? lines.findIndex((l) => l.trim() === '') : -1;
    const base64 = lines.slice(headerEnd + 1).join('').replace(/[ \t\r]/g, '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) continue;
    out.push({ type, der: Buffer.from(base64, 'base64') });
  }
  return out;
}

const PEM_BLOCK = /(?:^|\n)-----BEGIN ([^\r\n]*?)-----[ \t]*\r?\n([\s\S]*?)\r?\n?-----END \1-----/g;
