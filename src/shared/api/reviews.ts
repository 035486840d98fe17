// The one definition of the review API's shapes. Their TypeScript types (Static) and the
// routes' JSON Schemas (bodies validated, responses serialised from them: a field missing
// here never reaches a client) follow from it. Clients import the types only, so TypeBox
// stays out of the extension and webview bundles.
import { SignedReleaseSchema } from '../../core/release/releaseRecordSchema';
import { Nullable, StringEnum, Type, type Static } from '../../core/schemaTypes';
import { EvaluationCaseRunSchema, evaluationSummaryProperties } from './evaluations';

const timestamp = Type.String({ format: 'date-time' });
const nullableTimestamp = Nullable(Type.String());
const nullableString = Nullable(Type.String());
const sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
/** A prompt file is at most 1 MiB on the wire with its JSON escaping, within the body limit. */
const content = Type.String({ maxLength: 512 * 1024, description: 'The full proposed file.' });
const note = Type.String({ maxLength: 10_000 });
const dataset = Type.String({
  maxLength: 512 * 1024,
  description:
    "The `<prompt>.tests.yaml` beside the prompt (its text), when there is one: part of the reviewed content (reviewedHash) and run by the server's evaluation with the prompt's own testData. Refused (422, file, line and field) when it is not a valid dataset; left out, the revision has no dataset.",
});
const gitRef = Type.String({ maxLength: 256 });
const gitCommit = Type.String({ pattern: '^[0-9a-f]{4,64}$' });
const reviewedHead = (what: string) =>
  Type.String({ ...sha256, description: `${what} (its \`reviewedHash\`); 409 when the review has moved on.` });

export const ReviewStatusSchema = StringEnum(['open', 'withdrawn', 'published']);
const deliveryState = StringEnum(['release-branch', 'awaiting-merge']);

/**
 * Where a publish's commit went: `release-branch` (on `target`), or `awaiting-merge`: the
 * release branch is protected, the commit is on `branch`, and the release waits for that
 * branch to be merged into `target` (until someone who may publish reports it there).
 */
export const ReviewDeliverySchema = Type.Object(
  {
    state: deliveryState,
    target: Type.String(),
    branch: Type.String(),
    commit: Type.String(),
    by: Type.String(),
    at: timestamp,
  },
  { additionalProperties: false },
);

const summaryProperties = {
  id: Type.String(),
  path: Type.String(),
  name: Type.String(),
  workspace: Type.String(),
  env: Type.String(),
  status: ReviewStatusSchema,
  author: Type.String(),
  note: Type.String(),
  baseHash: Nullable(
    Type.String({
      description: "The server's published version (its own latest release) this review changes; null when none.",
    }),
  ),
  headHash: Type.String({ description: "sha256 of the head's prompt file: what a release and the lock record." }),
  reviewedHash: Type.String({
    description:
      'What approvals, change requests, publishing and evaluation runs name: headHash, or with a dataset beside the prompt the sha256 over both.',
  }),
  revision: Type.Integer(),
  gitBranch: nullableString,
  gitCommit: nullableString,
  createdAt: timestamp,
  updatedAt: timestamp,
  closedAt: nullableTimestamp,
  closedBy: nullableString,
  delivery: Nullable(
    Type.Object(ReviewDeliverySchema.properties, {
      additionalProperties: false,
      description: 'Where the published commit went, as its publisher reported it; null until reported.',
    }),
  ),
};

export const ReviewSummarySchema = Type.Object(summaryProperties, { additionalProperties: false });

/**
 * A review in a list: its summary and, while it is open, how far the approval rule is met
 * (`met` also waits for every standing change request), with who approved the current
 * head (approvals that count) and who asks for changes, so lists can group by state.
 */
export const ReviewListItemSchema = Type.Object(
  {
    ...summaryProperties,
    approval: Type.Optional(
      Type.Object(
        {
          met: Type.Boolean(),
          approvals: Type.Integer(),
          required: Type.Integer(),
          approvedBy: Type.Array(Type.String()),
          changesRequestedBy: Type.Array(Type.String()),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const revisionProperties = {
  number: Type.Integer(),
  headHash: Type.String(),
  reviewedHash: Type.String(),
  datasetHash: Nullable(
    Type.String({ description: 'sha256 of the `<prompt>.tests.yaml` uploaded with the revision, or null.' }),
  ),
  note: Type.String(),
  author: Type.String(),
  gitBranch: nullableString,
  gitCommit: nullableString,
  createdAt: timestamp,
};

export const RevisionSchema = Type.Object(revisionProperties, { additionalProperties: false });

/** One revision with its content (`GET /api/reviews/:id/revisions/:number`), e.g. to show what changed since it. */
export const RevisionContentSchema = Type.Object(
  {
    ...revisionProperties,
    content: Type.String(),
    dataset: Nullable(Type.String({ description: "The dataset's text (see datasetHash)." })),
  },
  { additionalProperties: false },
);

export const VerdictSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    verdict: StringEnum(['approve', 'request_changes']),
    note: Type.String(),
    revision: Type.Integer(),
    headHash: Type.String(),
    createdAt: timestamp,
    dismissed: Type.Boolean({ description: 'Dismissed by a later revision; a dismissed verdict no longer counts.' }),
    dismissedReason: nullableString,
  },
  { additionalProperties: false },
);

export const CommentSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    body: Type.String(),
    revision: Type.Integer(),
    createdAt: timestamp,
  },
  { additionalProperties: false },
);

export const ApprovalStatusSchema = Type.Object(
  {
    rule: Type.Object(
      { required: Type.Integer(), from: Type.Array(Type.String()), selfApproval: Type.Boolean() },
      { additionalProperties: false },
    ),
    met: Type.Boolean(),
    counted: Type.Array(Type.String(), {
      description: 'Users whose approval of the current head counts, in the order they approved.',
    }),
    ignored: Type.Array(
      Type.Object({ username: Type.String(), reason: Type.String() }, { additionalProperties: false }),
      { description: 'Approvals that do not count, each with the reason.' },
    ),
    changesRequestedBy: Type.Array(Type.String(), {
      description: 'Users whose standing verdict on the current head is "request changes"; publishing waits for them.',
    }),
  },
  { additionalProperties: false },
);

/** Whether the caller may do something now, and why (a sentence for a tooltip). */
export const ActionPermissionSchema = Type.Object(
  { allowed: Type.Boolean(), reason: Type.String() },
  { additionalProperties: false },
);

/** What the caller may do; `evaluate` runs the server's evaluation of the head (action `evaluation.run`). */
export const ReviewPermissionsSchema = Type.Object(
  {
    approve: ActionPermissionSchema,
    requestChanges: ActionPermissionSchema,
    comment: ActionPermissionSchema,
    revise: ActionPermissionSchema,
    withdraw: ActionPermissionSchema,
    publish: ActionPermissionSchema,
    evaluate: ActionPermissionSchema,
  },
  { additionalProperties: false },
);

/** One case of a run as the panel shows it: its input (the case's values as JSON) and every run's answer and verdicts. */
export const EvaluationCaseSchema = Type.Object(
  {
    name: Type.String(),
    input: Nullable(
      Type.String({ description: 'Null when the case can no longer be read from the evaluated content.' }),
    ),
    warnings: Type.Optional(
      Type.Array(Type.String(), {
        description:
          'Values of the case a `.prompty` reads as the start of a message of their own (a line such as `system:`): the run sent what Prompty made of them.',
      }),
    ),
    runs: Type.Array(EvaluationCaseRunSchema),
  },
  { additionalProperties: false },
);

/** A run of the review, summarised for the panel (the full record: `GET /api/reviews/:id/evaluations`). */
export const ReviewEvaluationRunSchema = Type.Object(
  { ...evaluationSummaryProperties, cases: Type.Array(EvaluationCaseSchema) },
  { additionalProperties: false },
);

const EvaluationRunSummarySchema = Type.Object(evaluationSummaryProperties, { additionalProperties: false });

/**
 * The evaluation state of the review's head: what the env's rule asks, whether the gate
 * is met and why, the newest run of exactly this head, and the newest run of an older
 * revision (shown as outdated, never counted).
 */
export const ReviewEvaluationSchema = Type.Object(
  {
    required: Type.Boolean(),
    passRate: Type.Number(),
    runs: Type.Integer(),
    met: Type.Boolean({
      description: 'The gate: not required, or a passing run of the head; `reason` says which, or what is missing.',
    }),
    reason: Type.String(),
    budgetMs: Nullable(
      Type.Integer({
        description:
          'How long the server lets a run of the head take (one model timeout per model call); null when none could start.',
      }),
    ),
    latest: Nullable(ReviewEvaluationRunSchema),
    outdated: Nullable(EvaluationRunSummarySchema),
  },
  { additionalProperties: false },
);

export const ReviewSchema = Type.Object(
  {
    ...summaryProperties,
    baseContent: Nullable(
      Type.String({
        description: "The published version's text (see baseHash); null when nothing is published there.",
      }),
    ),
    headContent: Type.String(),
    headDataset: Nullable(
      Type.Object(
        { path: Type.String(), content: Type.String() },
        {
          additionalProperties: false,
          description:
            'The dataset the head carries (path is the `<prompt>.tests.yaml` beside the prompt): reviewed with it and run by the server evaluation; null when the head has none.',
        },
      ),
    ),
    revisions: Type.Array(RevisionSchema),
    verdicts: Type.Array(VerdictSchema),
    comments: Type.Array(CommentSchema),
    approval: ApprovalStatusSchema,
    permissions: ReviewPermissionsSchema,
    evaluation: ReviewEvaluationSchema,
    release: Nullable(SignedReleaseSchema),
  },
  { additionalProperties: false },
);

export const ReviewListResponseSchema = Type.Object(
  { reviews: Type.Array(ReviewListItemSchema), nextCursor: nullableString },
  { additionalProperties: false },
);

export const PublishReviewResponseSchema = Type.Object(
  { release: SignedReleaseSchema, review: ReviewSchema },
  { additionalProperties: false },
);

/**
 * Ask for a review of a prompt change. The server derives workspace and env from `path`
 * and `content` with its own access file (`workspace` and `env` are accepted for
 * convenience and ignored), and the base from its own latest release of the path in that
 * env: a requester cannot send a base (unknown fields are refused), and content equal to
 * the published version is refused (409 `unchanged_from_published`).
 */
export const CreateReviewRequestSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, maxLength: 1024, description: 'Repo-relative, forward slashes.' }),
    content,
    note: Type.Optional(note),
    gitBranch: Type.Optional(gitRef),
    gitCommit: Type.Optional(
      Type.String({
        ...gitCommit,
        description:
          "The commit this change is based on (the requester's HEAD, or before their local commit of it), for the reviewer's own git to compare with: never the server's base.",
      }),
    ),
    workspace: Type.Optional(
      Type.String({ maxLength: 128, description: 'Ignored: the server places the prompt itself.' }),
    ),
    env: Type.Optional(Type.String({ maxLength: 64, description: 'Ignored: the server places the prompt itself.' })),
    headHash: Type.Optional(Type.String({ ...sha256, description: 'When sent, must be the sha256 of content.' })),
    dataset: Type.Optional(dataset),
  },
  { additionalProperties: false },
);

export const ReviseReviewRequestSchema = Type.Object(
  {
    content,
    note: Type.Optional(note),
    gitBranch: Type.Optional(gitRef),
    gitCommit: Type.Optional(gitCommit),
    expectedHeadHash: Type.Optional(
      Type.String({
        ...sha256,
        description:
          'When sent, the revision is refused (409) unless the review is still at this head (its reviewedHash).',
      }),
    ),
    dataset: Type.Optional(dataset),
  },
  { additionalProperties: false },
);

export const ApproveReviewRequestSchema = Type.Object(
  { headHash: reviewedHead('The head you reviewed'), note: Type.Optional(note) },
  { additionalProperties: false },
);

// The head the reviewer saw, as for approve: a verdict is about what was read.
export const RequestChangesRequestSchema = Type.Object(
  { note: Type.String({ ...note, minLength: 1 }), headHash: reviewedHead('The head you reviewed') },
  { additionalProperties: false },
);

export const CommentRequestSchema = Type.Object(
  { body: Type.String({ minLength: 1, maxLength: 10_000 }) },
  { additionalProperties: false },
);

export const WithdrawReviewRequestSchema = Type.Object({ note: Type.Optional(note) }, { additionalProperties: false });

export const PublishReviewRequestSchema = Type.Object(
  { headHash: reviewedHead('The approved head') },
  { additionalProperties: false },
);

/** A branch name git would take for a push (no `..`, no leading `-` or `/`, no control or special characters). */
const branchName = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!-)(?!/)(?!.*\\.\\.)(?!.*//)(?!.*\\.lock$)(?!.*/$)[A-Za-z0-9._/-]+$',
});

/**
 * `POST /api/reviews/:id/delivery`: a publisher reports where the publish's commit is. Needs
 * prompt.publish there; a review whose commit is on the release branch never goes back to
 * waiting (409).
 */
export const ReportDeliveryRequestSchema = Type.Object(
  {
    state: deliveryState,
    target: branchName,
    branch: branchName,
    commit: Type.String({ pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$', description: 'The full commit id.' }),
  },
  { additionalProperties: false },
);

const flag = (description: string) => Type.Optional(StringEnum(['true', 'false'], { description }));

/** `GET /api/reviews`'s filters as the query string carries them (paging added by the route). */
export const ReviewListFilterSchema = Type.Object(
  {
    status: Type.Optional(ReviewStatusSchema),
    workspace: Type.Optional(Type.String({ maxLength: 128 })),
    env: Type.Optional(Type.String({ maxLength: 64 })),
    author: Type.Optional(Type.String({ maxLength: 128 })),
    path: Type.Optional(Type.String({ maxLength: 1024 })),
    needsMyApproval: flag('Only open reviews the caller may approve and has not yet approved at their head.'),
    awaitingMerge: flag('Only published reviews whose commit waits for a merge into the release branch.'),
  },
  { additionalProperties: false },
);

export const ReviewIdParamsSchema = Type.Object(
  { id: Type.String({ pattern: '^[0-9]{1,15}$', description: 'The review number.' }) },
  { additionalProperties: false },
);

export const RevisionParamsSchema = Type.Object(
  {
    id: ReviewIdParamsSchema.properties.id,
    number: Type.String({ pattern: '^[1-9][0-9]{0,8}$', description: 'The revision number, from 1.' }),
  },
  { additionalProperties: false },
);

export type ReviewStatus = Static<typeof ReviewStatusSchema>;
export type ReviewDeliveryDto = Static<typeof ReviewDeliverySchema>;
export type ReviewSummaryDto = Static<typeof ReviewSummarySchema>;
export type ReviewListItemDto = Static<typeof ReviewListItemSchema>;
export type RevisionDto = Static<typeof RevisionSchema>;
export type RevisionContentDto = Static<typeof RevisionContentSchema>;
export type VerdictDto = Static<typeof VerdictSchema>;
export type CommentDto = Static<typeof CommentSchema>;
export type ApprovalStatusDto = Static<typeof ApprovalStatusSchema>;
export type ActionPermissionDto = Static<typeof ActionPermissionSchema>;
export type ReviewPermissionsDto = Static<typeof ReviewPermissionsSchema>;
export type EvaluationCaseDto = Static<typeof EvaluationCaseSchema>;
export type ReviewEvaluationRunDto = Static<typeof ReviewEvaluationRunSchema>;
export type ReviewEvaluationDto = Static<typeof ReviewEvaluationSchema>;
export type ReviewDto = Static<typeof ReviewSchema>;
export type ReviewListResponse = Static<typeof ReviewListResponseSchema>;
export type PublishReviewResponse = Static<typeof PublishReviewResponseSchema>;
export type CreateReviewRequest = Static<typeof CreateReviewRequestSchema>;
export type ReviseReviewRequest = Static<typeof ReviseReviewRequestSchema>;
export type ApproveReviewRequest = Static<typeof ApproveReviewRequestSchema>;
export type RequestChangesRequest = Static<typeof RequestChangesRequestSchema>;
export type CommentRequest = Static<typeof CommentRequestSchema>;
export type WithdrawReviewRequest = Static<typeof WithdrawReviewRequestSchema>;
export type PublishReviewRequest = Static<typeof PublishReviewRequestSchema>;
export type ReportDeliveryRequest = Static<typeof ReportDeliveryRequestSchema>;

/** What a client asks `GET /api/reviews` for: the query string's filters, with flags and page size as values. */
export type ReviewListQuery = Omit<Static<typeof ReviewListFilterSchema>, 'needsMyApproval' | 'awaitingMerge'> & {
  needsMyApproval?: boolean;
  awaitingMerge?: boolean;
  cursor?: string;
  limit?: number;
};
