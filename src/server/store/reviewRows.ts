import type { EvaluationRunRecord } from '../../core/eval/evaluationRun';
import { EvaluationRunRecordSchema } from '../../core/eval/evaluationRunSchema';
import type { BuiltinRole } from '../../core/policy/actions';
import type {
  CommentRecord,
  EvaluationSlotRecord,
  ReviewDelivery,
  ReviewRecord,
  ReviewStatus,
  ReviewSummaryRecord,
  ReviewVerdicts,
  RevisionRecord,
  Verdict,
  VerdictRecord,
} from './reviewRecords';
import { recordColumns, type ColumnRow } from './recordColumns';

/**
 * Rows of the review tables (reviews, revisions, verdicts, comments, evaluation runs and
 * slots), which have the same columns and column types in both dialects (ids are
 * integers, JSON is TEXT), so one set of mappers serves SQLite and PostgreSQL.
 */
export interface ReviewRow {
  id: number;
  path: string;
  name: string;
  workspace: string;
  env: string;
  prompt_workspace: string | null;
  prompt_env: string | null;
  status: ReviewStatus;
  author_id: string;
  author: string;
  note: string;
  base_hash: string | null;
  base_content: string | null;
  head_hash: string;
  /** Null only in rows older than migration 16, whose reviewed hash is the head hash. */
  reviewed_hash: string | null;
  revision: number;
  git_branch: string | null;
  git_commit: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
  closed_by: string | null;
  delivery_state: ReviewDelivery['state'] | null;
  delivery_target: string | null;
  delivery_branch: string | null;
  delivery_commit: string | null;
  delivery_by: string | null;
  delivery_at: number | string | null;
}

/** Every column of `reviews`, once: a missing or unknown one is a type error. */
const REVIEW_COLUMN: Record<keyof ReviewRow, true> = {
  id: true,
  path: true,
  name: true,
  workspace: true,
  env: true,
  prompt_workspace: true,
  prompt_env: true,
  status: true,
  author_id: true,
  author: true,
  note: true,
  base_hash: true,
  base_content: true,
  head_hash: true,
  reviewed_hash: true,
  revision: true,
  git_branch: true,
  git_commit: true,
  created_at: true,
  updated_at: true,
  closed_at: true,
  closed_by: true,
  delivery_state: true,
  delivery_target: true,
  delivery_branch: true,
  delivery_commit: true,
  delivery_by: true,
  delivery_at: true,
};

/** A review row as lists read it: without the base content (a whole prompt per row). */
export type ReviewSummaryRow = Omit<ReviewRow, 'base_content'>;

/** The columns of a ReviewSummaryRow, in `SELECT` order (REVIEW_SUMMARY_COLUMNS). */
export const REVIEW_SUMMARY_FIELDS = (Object.keys(REVIEW_COLUMN) as (keyof ReviewRow)[]).filter(
  (c): c is keyof ReviewSummaryRow => c !== 'base_content',
);
export const REVIEW_SUMMARY_COLUMNS = REVIEW_SUMMARY_FIELDS.join(', ');

export interface RevisionRow {
  number: number;
  head_hash: string;
  /** Null only in rows older than migration 16, whose reviewed hash is the head hash. */
  reviewed_hash: string | null;
  content: string;
  dataset: string | null;
  note: string;
  git_branch: string | null;
  git_commit: string | null;
  author: string;
  created_at: number;
}

export interface VerdictRow {
  id: number;
  revision: number;
  head_hash: string;
  user_id: string;
  username: string;
  verdict: Verdict;
  note: string;
  created_at: number;
  dismissed_at: number | null;
  dismissed_reason: string | null;
  current_role: BuiltinRole | null;
}

export interface CommentRow {
  id: number;
  revision: number;
  username: string;
  body: string;
  created_at: number;
}

/** The record columns of evaluation_runs: every field of the one definition but the ids. */
export const EVALUATION_RUN_COLUMNS = recordColumns(EvaluationRunRecordSchema, ['id', 'reviewId']);

export interface EvaluationRunRow extends ColumnRow {
  id: number;
  review_id: number;
}

export function toEvaluationRun(row: EvaluationRunRow): EvaluationRunRecord {
  return { id: String(row.id), reviewId: String(row.review_id), ...EVALUATION_RUN_COLUMNS.fromRow(row) };
}

export interface EvaluationSlotRow {
  id: number;
  review_id: number;
  revision: number;
  run_by: string;
  started_at: number;
  expires_at: number;
}

export function toEvaluationSlot(row: EvaluationSlotRow): EvaluationSlotRecord {
  return {
    id: String(row.id),
    revision: row.revision,
    runBy: row.run_by,
    startedAt: Number(row.started_at),
    expiresAt: Number(row.expires_at),
  };
}

/** review_verdicts' columns a VerdictRow has; `current_role` comes from users. */
const VERDICT_FIELDS = [
  'id',
  'revision',
  'head_hash',
  'user_id',
  'username',
  'verdict',
  'note',
  'created_at',
  'dismissed_at',
  'dismissed_reason',
] as const satisfies readonly (keyof VerdictRow)[];
const VERDICT_COLUMNS = `${VERDICT_FIELDS.map((f) => `v.${f}`).join(', ')}, u.role AS current_role`;
const VERDICT_FROM = 'FROM review_verdicts v LEFT JOIN users u ON u.id = v.user_id';

/** The verdicts of one review with each user's current role (null once removed). */
export const VERDICT_SELECT = `SELECT ${VERDICT_COLUMNS} ${VERDICT_FROM}`;
/** The same for several reviews, each verdict with its review's id. */
export const REVIEWS_VERDICT_SELECT = `SELECT v.review_id, ${VERDICT_COLUMNS} ${VERDICT_FROM}`;

/** PostgreSQL returns BIGINT ids as strings. */
export type ReviewVerdictRow = VerdictRow & { review_id: number | string };

/** The columns of REVIEWS_VERDICT_SELECT, in order. */
export const REVIEWS_VERDICT_FIELDS: (keyof ReviewVerdictRow)[] = ['review_id', ...VERDICT_FIELDS, 'current_role'];

/** Each review of a page with its verdicts (oldest first), in the page's order. */
export function withVerdicts(
  reviews: readonly ReviewSummaryRow[],
  verdicts: readonly ReviewVerdictRow[],
): ReviewVerdicts[] {
  const byReview = new Map<string, VerdictRecord[]>();
  for (const row of verdicts) {
    const id = String(row.review_id);
    const list = byReview.get(id) ?? [];
    list.push(toVerdict(row));
    byReview.set(id, list);
  }
  return reviews.map((row) => {
    const review = toReviewSummary(row);
    return { review, verdicts: byReview.get(review.id) ?? [] };
  });
}

/** The verdict columns of a page of reviews (`listReviewsWithVerdicts` in reviewPlans.ts), prefixed apart from the review's. */
export const PAGE_VERDICT_COLUMNS = `${VERDICT_FIELDS.map((f) => `v.${f} AS verdict_${f}`).join(', ')}, u.role AS verdict_current_role`;

/** A review row joined with one of its verdicts (all verdict columns null when it has none). */
export type ReviewPageRow = ReviewSummaryRow & { [K in keyof VerdictRow as `verdict_${K}`]: VerdictRow[K] | null };

/** The columns of a ReviewPageRow: the review's (REVIEW_SUMMARY_FIELDS) then PAGE_VERDICT_COLUMNS, in order. */
export const PAGE_FIELDS: (keyof ReviewPageRow)[] = [
  ...REVIEW_SUMMARY_FIELDS,
  ...VERDICT_FIELDS.map((f) => `verdict_${f}` as const),
  'verdict_current_role',
];

/** Each review of a page read by `listReviewsWithVerdicts` (reviewPlans.ts) with its verdicts (oldest first), in the page's order. */
export function pageWithVerdicts(rows: readonly ReviewPageRow[]): ReviewVerdicts[] {
  const page: ReviewVerdicts[] = [];
  let entry: ReviewVerdicts | undefined;
  let entryId: unknown;
  for (const row of rows) {
    if (entry === undefined || row.id !== entryId) {
      entry = { review: toReviewSummary(row), verdicts: [] };
      entryId = row.id;
      page.push(entry);
    }
    if (row.verdict_id !== null) entry.verdicts.push(toVerdict(verdictOfPageRow(row)));
  }
  return page;
}

/** Each verdict field with its column in a ReviewPageRow, built once (a page has hundreds of rows). */
const PAGE_VERDICT_KEYS = VERDICT_FIELDS.map((f) => [f, `verdict_${f}`] as const);

function verdictOfPageRow(row: ReviewPageRow): VerdictRow {
  const verdict: Record<string, unknown> = { current_role: row.verdict_current_role };
  for (const [field, column] of PAGE_VERDICT_KEYS) verdict[field] = row[column];
  return verdict as unknown as VerdictRow;
}

export function toReview(row: ReviewRow): ReviewRecord {
  return { ...toReviewSummary(row), baseContent: row.base_content };
}

export function toReviewSummary(row: ReviewSummaryRow): ReviewSummaryRecord {
  return {
    id: String(row.id),
    path: row.path,
    name: row.name,
    workspace: row.workspace,
    env: row.env,
    promptWorkspace: row.prompt_workspace,
    promptEnv: row.prompt_env,
    status: row.status,
    authorId: row.author_id,
    author: row.author,
    note: row.note,
    baseHash: row.base_hash,
    headHash: row.head_hash,
    reviewedHash: row.reviewed_hash ?? row.head_hash,
    revision: row.revision,
    gitBranch: row.git_branch,
    gitCommit: row.git_commit,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
    closedBy: row.closed_by,
    delivery:
      row.delivery_state === null
        ? null
        : {
            state: row.delivery_state,
            target: row.delivery_target!,
            branch: row.delivery_branch!,
            commit: row.delivery_commit!,
            by: row.delivery_by!,
            at: Number(row.delivery_at),
          },
  };
}

export function toRevision(row: RevisionRow): RevisionRecord {
  return {
    number: row.number,
    headHash: row.head_hash,
    reviewedHash: row.reviewed_hash ?? row.head_hash,
    content: row.content,
    dataset: row.dataset,
    note: row.note,
    gitBranch: row.git_branch,
    gitCommit: row.git_commit,
    author: row.author,
    createdAt: row.created_at,
  };
}

export function toVerdict(row: VerdictRow): VerdictRecord {
  return {
    id: row.id,
    revision: row.revision,
    headHash: row.head_hash,
    userId: row.user_id,
    username: row.username,
    verdict: row.verdict,
    note: row.note,
    createdAt: row.created_at,
    dismissedAt: row.dismissed_at,
    dismissedReason: row.dismissed_reason,
    currentRole: row.current_role,
  };
}

export function toComment(row: CommentRow): CommentRecord {
  return { id: row.id, revision: row.revision, username: row.username, body: row.body, createdAt: row.created_at };
}
