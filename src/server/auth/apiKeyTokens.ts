import { newSecretToken, secretTokenId, secretTokenMatches, type NewSecretToken } from './secretTokens';

/** Every API key starts so: a scanner can find leaked keys, and the server tells them from sessions. */
export const API_KEY_PREFIX = 'pok_';

export type NewApiKeyToken = NewSecretToken;

/** pok_ + 16 hex (the public id) + _ + 43 base64url characters (256 random bits). */
export function newApiKeyToken(): NewApiKeyToken {
  return newSecretToken(API_KEY_PREFIX);
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** The public id of a well-formed key; undefined for anything garbled. */
export function apiKeyId(token: string): string | undefined {
  return secretTokenId(API_KEY_PREFIX, token);
}

/** Whether `token` hashes to `secretHash`, in constant time (both are 64 hex characters). */
export function apiKeyMatches(token: string, secretHash: string): boolean {
  return secretTokenMatches(token, secretHash);
}
