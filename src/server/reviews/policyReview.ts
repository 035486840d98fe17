import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { PolicyReviewClaim } from '../store/policyRecords';
import type { PublishedVersion, ReviewState } from '../store/reviewRecords';
import type { Store } from '../store/store';
import type { PolicyInForce } from '../policy/policyInForce';
import type { NewAuditEntry } from '../store/auditRecords';
import { approvalProgress } from './approvalProgress';
import { refusal, type Refusable, type Refusal } from './refusal';
import { refused, type ReviewDecision } from './reviewDecision';
import { unmetReason } from './reviewPermissions';

/**
 * The base a review of the access file is compared with: the version the server applied
 * (placed in the env a policy review is filed under), none before the first apply.
 */
export function appliedPolicyBase(policy: PolicyInForce, env: string): PublishedVersion[] {
  const record = policy.record;
  return record ? [{ env, sha256: record.sha256, content: record.content }] : [];
}

/** The open reviews of the access file whose head is exactly `sha256`, newest first. */
async function reviewIdsOfContent(store: Store, sha256: string): Promise<string[]> {
  const open = await store.listReviews({ path: ACCESS_FILE_PATH, status: 'open', limit: 100 });
  return open.filter((r) => r.headHash === sha256).map((r) => r.id);
}

/** The claim the store takes (PolicyReviewClaim), deciding in the review layer's own terms; the route says how a refusal is answered. */
export type ApprovedPolicyReview = Omit<PolicyReviewClaim<Refusal>, 'refused'>;

/**
 * Before a policy change is applied under an access file with `policyApprovals`: the claim
 * on the open review of exactly this content with the approvals it needs, which the store
 * decides and closes (as published) in the very transaction that applies the version — so
 * the same approvals cannot apply it twice, and a failed apply leaves the review open.
 * Refused (conflict) at once when no open review has this content.
 */
export async function approvedPolicyReviewClaim(
  store: Store,
  policy: PolicyInForce,
  sha256: string,
  by: { username: string; auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>; now: number },
): Promise<Refusable<ApprovedPolicyReview>> {
  const required = policy.policy.policyApprovals ?? 0;
  const reviewIds = await reviewIdsOfContent(store, sha256);
  if (reviewIds.length === 0)
    return {
      ok: false,
      refusal: refusal(
        'conflict',
        'policy_review_required',
        `The access file in force asks for ${required} approval${required === 1 ? '' : 's'} of policy changes, and no open review of ${ACCESS_FILE_PATH} has this content (sha256 ${sha256.slice(0, 12)}…): ` +
          `request one (\`promptops review request ${ACCESS_FILE_PATH}\`), have other admins approve it, then apply again. Nothing was applied.`,
        { field: 'content' },
      ),
    };
  return {
    ok: true,
    value: {
      reviewIds,
      now: by.now,
      decide: (state) => decidePolicyReview(state, policy, sha256, by),
    },
  };
}

/** One open review of the content being applied, decided inside the apply's transaction: claimed, or why not. */
function decidePolicyReview(
  state: ReviewState,
  policy: PolicyInForce,
  sha256: string,
  by: { username: string; auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'> },
): ReviewDecision<string[]> {
  const progress = approvalProgress(state, policy);
  const refuse = (code: 'changes_requested' | 'approval_rule_unmet', reason: string) =>
    refused(
      refusal('conflict', code, `Review #${state.review.id} of ${ACCESS_FILE_PATH}: ${reason} Nothing was applied.`),
    );
  if (state.review.status !== 'open' || state.review.headHash !== sha256)
    return refuse('approval_rule_unmet', 'it changed or closed while applying.');
  if (progress.changesRequestedBy.length > 0)
    return refuse('changes_requested', `changes were requested by ${progress.changesRequestedBy.join(', ')}.`);
  if (!progress.met) return refuse('approval_rule_unmet', unmetReason(progress));
  return {
    kind: 'apply',
    writes: [{ kind: 'close', status: 'published', by: by.username }],
    audit: {
      ...by.auditActor,
      action: 'review.policy_applied',
      targetType: 'review',
      targetId: state.review.id,
      before: { status: state.review.status, headHash: state.review.headHash },
      after: { status: 'published', approvals: progress.counted },
    },
    result: () => progress.counted,
  };
}
