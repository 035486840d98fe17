import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson, type CanonicalValue } from './canonicalJson';

/**
 * The bytes a signature covers: a versioned domain line, then canonical JSON. The domain
 * keeps a signature over one kind of document from ever passing as another (a release
 * record can never be replayed as a user directory), and the version lets the format
 * change without old signatures meaning something new.
 */
export function signedPayload(domain: string, value: CanonicalValue): Buffer {
  return Buffer.from(`${domain}${canonicalJson(value)}`, 'utf8');
}

/** Ed25519 signature over the payload, base64. */
export function signValue(domain: string, value: CanonicalValue, privateKey: KeyObject): string {
  return signPayload(signedPayload(domain, value), privateKey);
}

/** False (never a throw) for a malformed signature or a wrong key. */
export function verifyValue(domain: string, value: CanonicalValue, signature: string, publicKey: KeyObject): boolean {
  return verifyPayload(signedPayload(domain, value), signature, publicKey);
}

export function signPayload(payload: Buffer, privateKey: KeyObject): string {
  return sign(null, payload, privateKey).toString('base64');
}

const ED25519_SIGNATURE = /^[A-Za-z0-9+/]{86}==$/; // 64 bytes, base64

export function verifyPayload(payload: Buffer, signature: string, publicKey: KeyObject): boolean {
  if (!ED25519_SIGNATURE.test(signature)) return false;
  try {
    return verify(null, payload, publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/**
 * verifyPayload on libuv's thread pool (node's callback form of `verify`): many at once use
 * every core while this thread goes on (verify's thousands of lock entries, bench:verify).
 */
export function verifyPayloadOffThread(payload: Buffer, signature: string, publicKey: KeyObject): Promise<boolean> {
  if (!ED25519_SIGNATURE.test(signature)) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(null, payload, publicKey, Buffer.from(signature, 'base64'), (error, ok) => resolve(!error && ok));
    } catch {
      resolve(false);
    }
  });
}
