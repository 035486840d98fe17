import type { Actor } from '../../core/policy/decision';
import { actorOf } from '../auth/actorOf';
import type { Identity } from '../auth/identity';
import { refusal, type Refusable } from './refusal';

/** A signed-in user acting on reviews: the policy's actor plus the id verdicts are kept under. */
export interface ReviewActor extends Actor {
  userId: string;
}

export const STATIC_TOKEN_NOT_A_USER =
  'The static token (PROMPTOPS_TOKEN) is not a user, and reviews record who did what: sign in as a user (promptops login) to request, review or publish.';

export function reviewActorOrUndefined(identity: Identity): ReviewActor | undefined {
  return identity.kind === 'static-token' ? undefined : { ...actorOf(identity), userId: identity.user.id };
}

/** The acting user; refused (forbidden) for the static token, which has no name to record. */
export function reviewActorOf(identity: Identity): Refusable<ReviewActor> {
  const actor = reviewActorOrUndefined(identity);
  if (!actor) return { ok: false, refusal: refusal('forbidden', 'not_a_user', STATIC_TOKEN_NOT_A_USER) };
  return { ok: true, value: actor };
}
