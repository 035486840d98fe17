import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken } from './sessionTokens';

const ID_BYTES = 8;
const SECRET_BYTES = 32;

/** A token shown once: `<prefix><id>_<secret>`, stored as the sha256 of the whole token. */
export interface NewSecretToken {
  /** The public id, part of the token: how a presented token is found. */
  id: string;
  /** The whole token, shown once. */
  token: string;
  /** What is stored: sha256 of the whole token. */
  secretHash: string;
}

/** `prefix` + 16 hex (the public id) + `_` + 43 base64url characters (256 random bits). */
export function newSecretToken(prefix: string): NewSecretToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const token = `${prefix}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { id, token, secretHash: hashToken(token) };
}

/** The public id of a well-formed token with this prefix; undefined for anything garbled. */
export function secretTokenId(prefix: string, token: string): string | undefined {
  if (!token.startsWith(prefix)) return undefined;
  return /^([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(token.slice(prefix.length))?.[1];
}

/** Whether `token` hashes to `secretHash`, in constant time (both are 64 hex characters). */
export function secretTokenMatches(token: string, secretHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
