/** JSON Schemas of the review and release routes (bodies validated strictly, responses serialised from them). */
import { SignedReleaseSchema } from '../../core/release/releaseRecordSchema';

const timestamp = { type: 'string', format: 'date-time' } as const;
const nullableTimestamp = { type: ['string', 'null'] } as const;
const nullableString = { type: ['string', 'null'] } as const;
const sha256 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;
/** A prompt file is at most 1 MiB on the wire with its JSON escaping, within the body limit. */
const content = { type: 'string', maxLength: 512 * 1024 } as const;
const note = { type: 'string', maxLength: 10_000 } as const;
const dataset = {
  type: 'string',
  maxLength: 512 * 1024,
  description:
    "The `<prompt>.tests.yaml` beside the prompt: part of the reviewed content (reviewedHash) and of the server's evaluation.",
} as const;
const gitRef = { type: 'string', maxLength: 256 } as const;

const summaryProperties = {
  id: { type: 'string' },
  path: { type: 'string' },
  name: { type: 'string' },
  workspace: { type: 'string' },
  env: { type: 'string' },
  status: { type: 'string', enum: ['open', 'withdrawn', 'published'] },
  author: { type: 'string' },
  note: { type: 'string' },
  baseHash: nullableString,
  headHash: { type: 'string' },
  reviewedHash: {
    type: 'string',
    description:
      'What approvals, change requests, publishing and evaluation runs name: headHash, or with a dataset beside the prompt the sha256 over both.',
  },
  revision: { type: 'integer' },
  gitBranch: nullableString,
  gitCommit: nullableString,
  createdAt: timestamp,
  updatedAt: timestamp,
  closedAt: nullableTimestamp,
  closedBy: nullableString,
  delivery: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['state', 'target', 'branch', 'commit', 'by', 'at'],
        properties: {
          state: { type: 'string', enum: ['release-branch', 'awaiting-merge'] },
          target: { type: 'string' },
          branch: { type: 'string' },
          commit: { type: 'string' },
          by: { type: 'string' },
          at: timestamp,
        },
      },
    ],
  },
} as const;

const revisionProperties = {
  number: { type: 'integer' },
  headHash: { type: 'string' },
  reviewedHash: { type: 'string' },
  datasetHash: {
    ...nullableString,
    description: 'sha256 of the `<prompt>.tests.yaml` uploaded with the revision, or null.',
  },
  note: { type: 'string' },
  author: { type: 'string' },
  gitBranch: nullableString,
  gitCommit: nullableString,
  createdAt: timestamp,
} as const;

const revisionSchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(revisionProperties),
  properties: revisionProperties,
} as const;

/** One revision with its content. */
export const revisionContentSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(revisionProperties), 'content', 'dataset'],
  properties: { ...revisionProperties, content: { type: 'string' }, dataset: nullableString },
} as const;

/** A list entry: the summary, plus approval progress while the review is open. */
export const reviewListItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(summaryProperties),
  properties: {
    ...summaryProperties,
    approval: {
      type: 'object',
      additionalProperties: false,
      required: ['met', 'approvals', 'required', 'approvedBy', 'changesRequestedBy'],
      properties: {
        met: { type: 'boolean' },
        approvals: { type: 'integer' },
        required: { type: 'integer' },
        approvedBy: { type: 'array', items: { type: 'string' } },
        changesRequestedBy: { type: 'array', items: { type: 'string' } },
      },
    },
  },
} as const;

const permission = {
  type: 'object',
  additionalProperties: false,
  required: ['allowed', 'reason'],
  properties: { allowed: { type: 'boolean' }, reason: { type: 'string' } },
} as const;

const verdictStatus = { type: 'string', enum: ['pass', 'fail', 'skipped'] } as const;

/** One run of one case in a stored evaluation: the answer and each evaluator's verdict. */
export const evaluationCaseRunSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['output', 'status', 'verdicts'],
  properties: {
    output: { type: 'string' },
    status: verdictStatus,
    verdicts: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['evaluator', 'status', 'detail'],
        properties: { evaluator: { type: 'string' }, status: verdictStatus, detail: { type: 'string' } },
      },
    },
  },
} as const;

/** A stored evaluation run's own fields, as the review and the evaluations routes both answer them. */
export const evaluationSummaryProperties = {
  id: { type: 'string' },
  revision: { type: 'integer' },
  sha256: { type: 'string' },
  runs: { type: 'integer' },
  requiredPassRate: { type: 'number' },
  passedRuns: { type: 'integer' },
  judgedRuns: { type: 'integer' },
  passed: { type: 'boolean' },
  model: { type: 'string' },
  runBy: { type: 'string' },
  createdAt: timestamp,
  digest: { type: 'string' },
} as const;

/** The head's evaluation state in a review: the rule, the gate, the head's newest run and the newest outdated one. */
const reviewEvaluationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['required', 'passRate', 'runs', 'met', 'reason', 'budgetMs', 'latest', 'outdated'],
  properties: {
    required: { type: 'boolean' },
    passRate: { type: 'number' },
    runs: { type: 'integer' },
    met: { type: 'boolean' },
    reason: { type: 'string' },
    budgetMs: {
      type: ['integer', 'null'],
      description:
        'How long the server lets a run of the head take (one model timeout per model call); null when none could start.',
    },
    latest: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: [...Object.keys(evaluationSummaryProperties), 'cases'],
      properties: {
        ...evaluationSummaryProperties,
        cases: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'input', 'runs'],
            properties: {
              name: { type: 'string' },
              input: nullableString,
              runs: { type: 'array', items: evaluationCaseRunSchema },
            },
          },
        },
      },
    },
    outdated: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: Object.keys(evaluationSummaryProperties),
      properties: evaluationSummaryProperties,
    },
  },
} as const;

const reviewProperties = {
  ...summaryProperties,
  /** The server's own latest release of the path in the review's env, when the head was proposed. */
  baseContent: nullableString,
  headContent: { type: 'string' },
  headDataset: {
    anyOf: [
      { type: 'null' },
      {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'content'],
        properties: { path: { type: 'string' }, content: { type: 'string' } },
      },
    ],
  },
  revisions: { type: 'array', items: revisionSchema },
  verdicts: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: [
        'id',
        'username',
        'verdict',
        'note',
        'revision',
        'headHash',
        'createdAt',
        'dismissed',
        'dismissedReason',
      ],
      properties: {
        id: { type: 'string' },
        username: { type: 'string' },
        verdict: { type: 'string', enum: ['approve', 'request_changes'] },
        note: { type: 'string' },
        revision: { type: 'integer' },
        headHash: { type: 'string' },
        createdAt: timestamp,
        dismissed: { type: 'boolean' },
        dismissedReason: nullableString,
      },
    },
  },
  comments: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'username', 'body', 'revision', 'createdAt'],
      properties: {
        id: { type: 'string' },
        username: { type: 'string' },
        body: { type: 'string' },
        revision: { type: 'integer' },
        createdAt: timestamp,
      },
    },
  },
  approval: {
    type: 'object',
    additionalProperties: false,
    required: ['rule', 'met', 'counted', 'ignored', 'changesRequestedBy'],
    properties: {
      rule: {
        type: 'object',
        additionalProperties: false,
        required: ['required', 'from', 'selfApproval'],
        properties: {
          required: { type: 'integer' },
          from: { type: 'array', items: { type: 'string' } },
          selfApproval: { type: 'boolean' },
        },
      },
      met: { type: 'boolean' },
      counted: { type: 'array', items: { type: 'string' } },
      ignored: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['username', 'reason'],
          properties: { username: { type: 'string' }, reason: { type: 'string' } },
        },
      },
      changesRequestedBy: { type: 'array', items: { type: 'string' } },
    },
  },
  permissions: {
    type: 'object',
    additionalProperties: false,
    required: ['approve', 'requestChanges', 'comment', 'revise', 'withdraw', 'publish', 'evaluate'],
    properties: {
      approve: permission,
      requestChanges: permission,
      comment: permission,
      revise: permission,
      withdraw: permission,
      publish: permission,
      evaluate: permission,
    },
  },
  evaluation: reviewEvaluationSchema,
  // A nullable object rather than anyOf: fast-json-stringify serialises anyOf by validating each branch.
  release: { ...SignedReleaseSchema, type: ['object', 'null'] },
} as const;

export const reviewSchema = {
  type: 'object',
  additionalProperties: false,
  required: Object.keys(reviewProperties),
  properties: reviewProperties,
} as const;

export const reviewIdParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9]{1,15}$', description: 'The review number.' } },
} as const;

export const revisionParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'number'],
  properties: {
    id: reviewIdParams.properties.id,
    number: { type: 'string', pattern: '^[1-9][0-9]{0,8}$', description: 'The revision number, from 1.' },
  },
} as const;

export const createReviewBody = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'content'],
  properties: {
    path: { type: 'string', minLength: 1, maxLength: 1024, description: 'Repo-relative, forward slashes.' },
    content,
    note,
    gitBranch: gitRef,
    gitCommit: { type: 'string', pattern: '^[0-9a-f]{4,64}$' },
    workspace: { type: 'string', maxLength: 128, description: 'Ignored: the server places the prompt itself.' },
    env: { type: 'string', maxLength: 64, description: 'Ignored: the server places the prompt itself.' },
    headHash: { ...sha256, description: 'When sent, must be the sha256 of content.' },
    dataset,
  },
} as const;

export const reviseBody = {
  type: 'object',
  additionalProperties: false,
  required: ['content'],
  properties: {
    content,
    note,
    gitBranch: gitRef,
    gitCommit: { type: 'string', pattern: '^[0-9a-f]{4,64}$' },
    expectedHeadHash: sha256,
    dataset,
  },
} as const;

export const approveBody = {
  type: 'object',
  additionalProperties: false,
  required: ['headHash'],
  properties: { headHash: sha256, note },
} as const;

export const requestChangesBody = {
  type: 'object',
  additionalProperties: false,
  // The head the reviewer saw, as for approve: a verdict is about what was read.
  required: ['note', 'headHash'],
  properties: { note: { ...note, minLength: 1 }, headHash: sha256 },
} as const;

export const commentBody = {
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  properties: { body: { type: 'string', minLength: 1, maxLength: 10_000 } },
} as const;

export const withdrawBody = {
  type: 'object',
  additionalProperties: false,
  properties: { note },
} as const;

export const publishBody = {
  type: 'object',
  additionalProperties: false,
  required: ['headHash'],
  properties: { headHash: sha256 },
} as const;

/** A branch name git would take for a push (no `..`, no leading `-` or `/`, no control or special characters). */
const branchName = {
  type: 'string',
  minLength: 1,
  maxLength: 255,
  pattern: '^(?!-)(?!/)(?!.*\\.\\.)(?!.*//)(?!.*\\.lock$)(?!.*/$)[A-Za-z0-9._/-]+$',
} as const;

export const deliveryBody = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'target', 'branch', 'commit'],
  properties: {
    state: { type: 'string', enum: ['release-branch', 'awaiting-merge'] },
    target: branchName,
    branch: branchName,
    commit: { type: 'string', pattern: '^[0-9a-f]{40}([0-9a-f]{24})?$' },
  },
} as const;

export const reviewListQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: ['open', 'withdrawn', 'published'] },
    workspace: { type: 'string', maxLength: 128 },
    env: { type: 'string', maxLength: 64 },
    author: { type: 'string', maxLength: 128 },
    path: { type: 'string', maxLength: 1024 },
    needsMyApproval: { type: 'string', enum: ['true', 'false'] },
    awaitingMerge: { type: 'string', enum: ['true', 'false'] },
  },
} as const;
