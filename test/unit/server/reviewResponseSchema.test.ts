import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { TSchema } from '../../../src/core/schemaTypes';
import {
  ReviewListResponseSchema,
  ReviewSchema,
  RevisionContentSchema,
  type ReviewDto,
  type ReviewListResponse,
  type RevisionContentDto,
} from '../../../src/shared/api/reviews';
import { EvaluationRunDtoSchema, type EvaluationRunDto } from '../../../src/shared/api/evaluations';

// Fastify serialises a reply with its response schema, so a field the schema lacks silently
// never reaches the extension or the CLI. Each value below fills every field its type has
// (the type is the schema's own Static), nulls and optionals included: the reply must carry all.

const permission = { allowed: false, reason: 'Only the author may withdraw.' };
const verdicts = [{ evaluator: 'contains', status: 'pass' as const, detail: 'found "yes"' }];
const runSummary = {
  id: '7',
  revision: 2,
  sha256: 'b'.repeat(64),
  runs: 3,
  requiredPassRate: 0.66,
  passedRuns: 3,
  judgedRuns: 3,
  passed: true,
  model: 'openai-compatible http://model (gpt-x)',
  runBy: 'bob',
  createdAt: '2026-01-02T03:04:05.000Z',
  digest: 'c'.repeat(64),
};

const review: ReviewDto = {
  id: '12',
  path: 'prompts/greet.prompt.md',
  name: 'greet',
  workspace: 'support',
  env: 'prod',
  status: 'published',
  author: 'alice',
  note: 'friendlier',
  baseHash: 'a'.repeat(64),
  headHash: 'b'.repeat(64),
  reviewedHash: 'd'.repeat(64),
  revision: 2,
  gitBranch: 'feature/greet',
  gitCommit: 'e'.repeat(40),
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  closedAt: '2026-01-03T00:00:00.000Z',
  closedBy: 'carol',
  delivery: {
    state: 'awaiting-merge',
    target: 'main',
    branch: 'promptops/12',
    commit: 'f'.repeat(40),
    by: 'carol',
    at: '2026-01-03T00:00:01.000Z',
  },
  baseContent: 'Hello.',
  headContent: 'Hello there.',
  headDataset: { path: 'prompts/greet.tests.yaml', content: 'cases: []' },
  revisions: [
    {
      number: 2,
      headHash: 'b'.repeat(64),
      reviewedHash: 'd'.repeat(64),
      datasetHash: '9'.repeat(64),
      note: 'second',
      author: 'alice',
      gitBranch: 'feature/greet',
      gitCommit: 'e'.repeat(40),
      createdAt: '2026-01-02T00:00:00.000Z',
    },
  ],
  verdicts: [
    {
      id: '3',
      username: 'bob',
      verdict: 'request_changes',
      note: 'shorter',
      revision: 1,
      headHash: 'a'.repeat(64),
      createdAt: '2026-01-01T01:00:00.000Z',
      dismissed: true,
      dismissedReason: 'new revision 2',
    },
  ],
  comments: [{ id: '4', username: 'bob', body: 'nice', revision: 2, createdAt: '2026-01-02T01:00:00.000Z' }],
  approval: {
    rule: { required: 1, from: ['editor'], selfApproval: false },
    met: true,
    counted: ['bob'],
    ignored: [{ username: 'alice', reason: 'self-approval' }],
    changesRequestedBy: ['dave'],
  },
  permissions: {
    approve: permission,
    requestChanges: permission,
    comment: permission,
    revise: permission,
    withdraw: permission,
    publish: permission,
    evaluate: permission,
  },
  evaluation: {
    required: true,
    passRate: 0.66,
    runs: 3,
    met: true,
    reason: 'A passing run of the head.',
    budgetMs: 90_000,
    latest: {
      ...runSummary,
      cases: [{ name: 'greets', input: '{"who":"Ann"}', runs: [{ output: 'Hi Ann', status: 'pass', verdicts }] }],
    },
    outdated: { ...runSummary, id: '6', revision: 1 },
  },
  release: {
    path: 'prompts/greet.prompt.md',
    env: 'prod',
    name: 'greet',
    workspace: 'support',
    sha256: 'b'.repeat(64),
    reviewId: '12',
    author: 'alice',
    approvers: ['bob'],
    publisher: 'carol',
    publishedAt: '2026-01-03T00:00:00.000Z',
    keyId: 'k1',
    evaluation: 'c'.repeat(64),
    signature: 'c2lnbmF0dXJl',
  },
};

async function served(schema: TSchema, value: unknown): Promise<unknown> {
  const app = Fastify();
  app.get('/', { schema: { response: { 200: schema } } }, () => value);
  try {
    const res = await app.inject({ method: 'GET', url: '/' });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  } finally {
    await app.close();
  }
}

describe('review responses as fastify serialises them', () => {
  it('a review keeps every field, nested ones included', async () => {
    assert.deepEqual(await served(ReviewSchema, review), review);
  });

  it('a review with every nullable field null keeps them as null', async () => {
    const bare: ReviewDto = {
      ...review,
      baseHash: null,
      gitBranch: null,
      gitCommit: null,
      closedAt: null,
      closedBy: null,
      delivery: null,
      baseContent: null,
      headDataset: null,
      evaluation: { ...review.evaluation, budgetMs: null, latest: null, outdated: null },
      release: null,
    };
    assert.deepEqual(await served(ReviewSchema, bare), bare);
  });

  it('a list keeps each summary and its approval progress', async () => {
    const { id, path, name, workspace, env, status, author, note, baseHash, headHash, reviewedHash } = review;
    const { revision, gitBranch, gitCommit, createdAt, updatedAt, closedAt, closedBy, delivery } = review;
    const summary = { id, path, name, workspace, env, status, author, note, baseHash, headHash, reviewedHash };
    const list: ReviewListResponse = {
      reviews: [
        {
          ...summary,
          ...{ revision, gitBranch, gitCommit, createdAt, updatedAt, closedAt, closedBy, delivery },
          approval: { met: false, approvals: 1, required: 2, approvedBy: ['bob'], changesRequestedBy: ['dave'] },
        },
      ],
      nextCursor: '12',
    };
    assert.deepEqual(await served(ReviewListResponseSchema, list), list);
  });

  it("a revision's content and an evaluation run keep every field", async () => {
    const revision: RevisionContentDto = { ...review.revisions[0], content: 'Hello there.', dataset: 'cases: []' };
    assert.deepEqual(await served(RevisionContentSchema, revision), revision);
    const run: EvaluationRunDto = {
      ...runSummary,
      reviewId: '12',
      cases: [{ name: 'greets', runs: [{ output: 'Hi', status: 'fail', verdicts }] }],
      current: true,
    };
    assert.deepEqual(await served(EvaluationRunDtoSchema, run), run);
  });
});
