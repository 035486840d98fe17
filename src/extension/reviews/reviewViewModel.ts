import type { ReviewDto } from '../../shared/api/reviews';
import type { ReviewViewModel } from '../../shared/webviewProtocol';
import type { ReviewComparisons } from '../../workflows/reviewComparisons';
import { checkoutState } from './checkoutNotice';
import { publishBlockers } from './publishBlockers';
import { reviewStateWords } from '../../core/review/publishedState';

/** What the review panel renders: the server's review (as the caller sees it) and its comparisons (the shared workflow's). */
export function reviewViewModel(review: ReviewDto, compared: ReviewComparisons, offline: boolean): ReviewViewModel {
  const action = (p: { allowed: boolean; reason: string }) =>
    offline
      ? { allowed: false, reason: 'The server cannot be reached; nothing is approved or published offline.' }
      : { allowed: p.allowed, reason: p.reason };
  return {
    id: review.id,
    name: review.name,
    path: review.path,
    workspace: review.workspace,
    env: review.env,
    status: review.status,
    author: review.author,
    note: review.note,
    revision: review.revision,
    // What a verdict names: the prompt and the dataset shown with it.
    headHash: review.reviewedHash,
    baseHash: review.baseHash,
    createdAt: review.createdAt,
    revisions: review.revisions.map((r) => ({
      number: r.number,
      author: r.author,
      note: r.note,
      createdAt: r.createdAt,
    })),
    dataset: review.headDataset,
    comparisons: compared.comparisons.map((c) => ({
      kind: c.kind,
      title: c.title,
      ...(c.notice ? { notice: c.notice } : {}),
      fields: c.changes.fields,
      messages: c.changes.messages,
      ...(c.changes.rawDiff ? { rawDiff: c.changes.rawDiff } : {}),
    })),
    defaultComparison: compared.defaultKind,
    unavailableComparisons: compared.unavailable,
    approval: {
      required: review.approval.rule.required,
      from: review.approval.rule.from,
      selfApproval: review.approval.rule.selfApproval,
      met: review.approval.met,
      counted: review.approval.counted,
      ignored: review.approval.ignored,
      changesRequestedBy: review.approval.changesRequestedBy,
    },
    evaluation: review.evaluation,
    publishBlockers: publishBlockers(review),
    verdicts: review.verdicts.map((v) => ({
      username: v.username,
      verdict: v.verdict,
      note: v.note,
      revision: v.revision,
      createdAt: v.createdAt,
      dismissed: v.dismissed,
    })),
    comments: review.comments.map((c) => ({
      username: c.username,
      body: c.body,
      revision: c.revision,
      createdAt: c.createdAt,
    })),
    actions: {
      approve: action(review.permissions.approve),
      requestChanges: action(review.permissions.requestChanges),
      comment: action(review.permissions.comment),
      publish: action(review.permissions.publish),
      checkout: checkoutState(review, offline),
      runEvaluation: action(review.permissions.evaluate),
      compareBehaviour: {
        allowed: true,
        reason: 'Run the published and the proposed version on the test inputs with your model, side by side.',
      },
    },
    release: review.release
      ? {
          publisher: review.release.publisher,
          publishedAt: review.release.publishedAt,
          sha256: review.release.sha256,
          waitingForMerge:
            review.delivery?.state === 'awaiting-merge'
              ? `${reviewStateWords(review)} (${review.delivery.branch}, ${review.delivery.commit.slice(0, 8)})`
              : null,
        }
      : null,
    offline,
  };
}
