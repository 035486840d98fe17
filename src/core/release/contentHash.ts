import { createHash } from 'node:crypto';

/** sha256 of a file's exact bytes, lowercase hex: the hash the lock records and checks. */
export function contentSha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function isSha256Hex(value: string): boolean {
  return /^[0-9a-f]{64}$/.test(value);
}
