import { randomUUID } from 'node:crypto';
import type { NewAuditEntry } from './auditRecords';
import { chainAudit } from './auditPlans';
import type { ClaimedPolicyReview, NewPolicyVersion, PolicyReviewClaim, PolicyVersionRecord } from './policyRecords';
import { applyReviewChange, readState } from './reviewPlans';
import { execute, lock, selectRow, type Plan } from './sqlPlan';

interface PolicyRow {
  version: number;
  content: string;
  sha256: string;
  applied_by: string | null;
  applied_at: number;
  git_commit: string | null;
  signed_record: string | null;
}

function toPolicy(row: PolicyRow): PolicyVersionRecord {
  return {
    version: row.version,
    content: row.content,
    sha256: row.sha256,
    appliedBy: row.applied_by,
    appliedAt: Number(row.applied_at),
    commit: row.git_commit,
    signedRecord: row.signed_record,
  };
}

export function* currentPolicy(): Plan<PolicyVersionRecord | undefined> {
  const row = yield* selectRow<PolicyRow>('SELECT * FROM access_policies ORDER BY version DESC LIMIT 1');
  return row && toPolicy(row);
}

export function* currentPolicyVersion(): Plan<number> {
  const row = yield* selectRow<{ v: number | string }>('SELECT coalesce(max(version), 0) AS v FROM access_policies');
  return Number(row?.v ?? 0);
}

/**
 * Run in one transaction, under the policy lock (serialised against other applies): the
 * next version, the review it claims, the workspaces it declares and its audit entry.
 */
export function* applyPolicy(
  next: NewPolicyVersion,
  audit: (version: number, created: string[], claimed: ClaimedPolicyReview | undefined) => NewAuditEntry,
): Plan<PolicyVersionRecord> {
  yield* lock('policy');
  const counted = yield* selectRow<{ v: number }>('SELECT coalesce(max(version), 0) + 1 AS v FROM access_policies');
  const v = Number(counted!.v);
  if (v - 1 !== next.basedOn.version) throw next.basedOn.changed();
  const claimed = next.review && (yield* claimPolicyReview(next.review));
  const signedRecord = next.seal(v, claimed);
  yield* execute(
    `INSERT INTO access_policies (version, content, sha256, applied_by, applied_at, git_commit, signed_record)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
    v,
    next.content,
    next.sha256,
    next.appliedBy,
    next.now,
    next.commit,
    signedRecord,
  );
  const created: string[] = [];
  for (const name of next.workspaces) {
    // A deleted workspace's tombstone keeps it deleted: only an admin's re-create lifts it.
    const inserted = yield* execute(
      `INSERT INTO workspaces (id, name, created_by, created_at)
       SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM deleted_workspaces WHERE name_key = lower(?))
       ON CONFLICT DO NOTHING`,
      randomUUID(),
      name,
      next.appliedBy,
      next.now,
      name,
    );
    if (inserted > 0) created.push(name);
  }
  yield* chainAudit(audit(v, created, claimed));
  return {
    version: v,
    content: next.content,
    sha256: next.sha256,
    appliedBy: next.appliedBy,
    appliedAt: next.now,
    commit: next.commit,
    signedRecord,
  };
}

/** Inside applyPolicy's transaction, each review's row locked as `changeReview` locks it: see PolicyReviewClaim. */
function* claimPolicyReview(claim: PolicyReviewClaim): Plan<ClaimedPolicyReview> {
  let refused: Error | undefined;
  for (const id of claim.reviewIds) {
    const reviewId = Number(id);
    const state = yield* readState(reviewId, true);
    if (!state) continue;
    const change = claim.decide(state);
    if (change.kind === 'refuse') {
      refused = claim.refused(change.refusal);
      continue;
    }
    yield* applyReviewChange(reviewId, state, change, claim.now);
    return { reviewId: id, approvals: change.result((yield* readState(reviewId, false))!) };
  }
  throw refused ?? new Error('no policy review to claim');
}
