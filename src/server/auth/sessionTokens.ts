import { hash, randomBytes } from 'node:crypto';

/** 256 bits from the OS CSPRNG, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a presented token, as raw bytes: computed once per request for both checks. */
export function tokenDigest(token: string): Buffer {
  return hash('sha256', token, 'buffer');
}

/** Only this is stored: a database leak does not hand out live sessions. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}
