import type { PolicyInForce } from '../policy/policyInForce';
import type { AwaitingApprovalBy } from '../store/reviewRecords';
import type { ReviewActor } from './reviewActor';

/**
 * What the store narrows "needs my approval" to for `actor`: the workspaces and envs
 * where the access file lets them approve, and the access file when they may apply it.
 * Undefined when they may approve nothing. Each review found is still decided with
 * reviewPermission: this keeps a page full, it decides nothing.
 */
export function awaitingApprovalBy(policy: PolicyInForce, actor: ReviewActor): AwaitingApprovalBy | undefined {
  const places = policy.compiled.approvalPlaces(actor);
  const accessFile = policy.compiled.decide(actor, 'policy.apply', { kind: 'org' }).allowed;
  if (places.length === 0 && !accessFile) return undefined;
  return { userId: actor.userId, username: actor.username, places, accessFile };
}
