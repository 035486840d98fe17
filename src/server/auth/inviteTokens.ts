import { newSecretToken, secretTokenId, type NewSecretToken } from './secretTokens';

/** Invite tokens start so, and so can never be mistaken for an API key (`pok_`) or a session. */
export const INVITE_PREFIX = 'poi_';

export function newInviteToken(): NewSecretToken {
  return newSecretToken(INVITE_PREFIX);
}

/** The public id of a well-formed invite token; undefined for anything garbled. */
export function inviteId(token: string): string | undefined {
  return secretTokenId(INVITE_PREFIX, token);
}
