import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import type { ReviewChange, PublishedVersion, ReviewState } from '../store/reviewRecords';
import type { Store } from '../store/store';
import type { PolicyInForce } from '../policy/policyInForce';
import { HttpError } from '../http/httpError';
import type { NewAuditEntry } from '../store/auditRecords';
import { approvalProgress } from './approvalProgress';
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
async function reviewsOfContent(store: Store, sha256: string): Promise<ReviewState[]> {
  const open = await store.listReviews({ path: ACCESS_FILE_PATH, status: 'open', limit: 100 });
  const states = await Promise.all(open.filter((r) => r.headHash === sha256).map((r) => store.getReviewState(r.id)));
  return states.filter((s): s is ReviewState => s !== undefined);
}

/**
 * Before a policy change is applied under an access file with `policyApprovals`: the open
 * review of exactly this content with the approvals it needs, closed now (as published)
 * inside its own transaction, so the same approvals cannot apply it twice. Returns who
 * approved; refuses (409) with what is missing otherwise.
 */
export async function claimApprovedPolicyReview(
  store: Store,
  policy: PolicyInForce,
  sha256: string,
  by: { username: string; auditActor: Pick<NewAuditEntry, 'actor' | 'actorRole' | 'address'>; now: number },
): Promise<{ reviewId: string; approvals: string[] }> {
  const required = policy.policy.policyApprovals ?? 0;
  const candidates = await reviewsOfContent(store, sha256);
  if (candidates.length === 0)
    throw new HttpError(
      409,
      'policy_review_required',
      `The access file in force asks for ${required} approval${required === 1 ? '' : 's'} of policy changes, and no open review of ${ACCESS_FILE_PATH} has this content (sha256 ${sha256.slice(0, 12)}…): ` +
        `request one (\`promptops review request ${ACCESS_FILE_PATH}\`), have other admins approve it, then apply again. Nothing was applied.`,
      'content',
    );
  let lastRefusal: HttpError | undefined;
  for (const candidate of candidates) {
    const claimed = await store
      .changeReview(candidate.review.id, by.now, (state): ReviewChange<string[]> => {
        const progress = approvalProgress(state, policy);
        const refuse = (code: 'changes_requested' | 'approval_rule_unmet', reason: string) => ({
          kind: 'refuse' as const,
          error: new HttpError(
            409,
            code,
            `Review #${state.review.id} of ${ACCESS_FILE_PATH}: ${reason} Nothing was applied.`,
          ),
        });
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
      })
      .catch((err: unknown) => {
        if (err instanceof HttpError) {
          lastRefusal = err;
          return undefined;
        }
        throw err;
      });
    if (claimed) return { reviewId: candidate.review.id, approvals: claimed };
  }
  throw lastRefusal!;
}
