import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hashToken } from './sessionTokens';

/** Every API key starts so: a scanner can find leaked keys, and the server tells them from sessions. */
export const API_KEY_PREFIX = 'pok_';
const ID_BYTES = 8;
const SECRET_BYTES = 32;
/** pok_ + 16 hex (the public id) + _ + 43 base64url characters (256 random bits). */
const API_KEY = /^pok_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKeyToken {
  id: string;
  /** The whole token, shown once to its creator. */
  token: string;
  /** What is stored: sha256 of the whole token. */
  secretHash: string;
}

export function newApiKeyToken(): NewApiKeyToken {
  const id = randomBytes(ID_BYTES).toString('hex');
  const token = `${API_KEY_PREFIX}${id}_${randomBytes(SECRET_BYTES).toString('base64url')}`;
  return { id, token, secretHash: hashToken(token) };
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The public id of a well-formed key; undefined for anything garbled. */
export function apiKeyId(token: string): string | undefined {
  return API_KEY.exec(token)?.[1];
}

/** Whether `token` hashes to `secretHash`, in constant time (both are 64 hex characters). */
export function apiKeyMatches(token: string, secretHash: string): boolean {
  const presented = Buffer.from(hashToken(token), 'hex');
  const stored = Buffer.from(secretHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
