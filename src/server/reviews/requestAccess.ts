import type { Actor, Decider, Resource } from '../../core/policy/decision';
import { deniedBy, type Refusal } from './refusal';

/**
 * Whether `actor` may request review of this resource: `review.request`, and for a prompt
 * also `prompt.read`, since the answer carries its published version (the base).
 */
export function requestAccessRefusal(decider: Decider, actor: Actor, resource: Resource): Refusal | undefined {
  const refused = deniedBy(decider.decide(actor, 'review.request', resource));
  if (refused || resource.kind !== 'prompt') return refused;
  return deniedBy(decider.decide(actor, 'prompt.read', resource));
}
