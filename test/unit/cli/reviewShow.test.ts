import * as assert from 'node:assert/strict';
import { reviewShowLines } from '../../../src/cli/commands/review';
import { promptChanges } from '../../../src/core/review/promptChanges';
import { reviewViewModel } from '../../../src/extension/reviews/reviewViewModel';
import type { ReviewComparisons } from '../../../src/workflows/reviewComparisons';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { promptText, sha } from '../../support/reviewFixtures';

const base = promptText('You handle refunds. Be brief. Never promise a date.', { env: 'dev' });
const head = promptText('You handle refunds. Be brief and kind. Never promise a date.', {
  env: 'dev',
  temperature: '0.5',
}).replace('<system>', '<developer>\n  Use the refund tool.\n</developer>\n<system>');

const noPermission = { allowed: false, reason: 'not in this test' };
const review: ReviewDto = {
  id: '7',
  path: 'prompts/support/refund.prompt',
  name: 'refund',
  workspace: 'support',
  env: 'dev',
  status: 'open',
  author: 'erin',
  note: 'kinder',
  baseHash: sha(base),
  headHash: sha(head),
  reviewedHash: sha(head),
  revision: 1,
  gitBranch: null,
  gitCommit: null,
  delivery: null,
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
  closedAt: null,
  closedBy: null,
  baseContent: base,
  headContent: head,
  headDataset: null,
  revisions: [],
  verdicts: [],
  comments: [],
  approval: {
    rule: { required: 1, from: ['reviewer'], selfApproval: false },
    met: false,
    counted: [],
    ignored: [],
    changesRequestedBy: [],
  },
  permissions: {
    approve: noPermission,
    requestChanges: noPermission,
    comment: noPermission,
    revise: noPermission,
    withdraw: noPermission,
    publish: noPermission,
    evaluate: noPermission,
  },
  evaluation: {
    required: false,
    passRate: 1,
    runs: 1,
    met: true,
    reason: '',
    budgetMs: null,
    latest: null,
    outdated: null,
  },
  release: null,
};

/** What the shared workflow hands both front ends for this review: only the published comparison. */
const published: ReviewComparisons = {
  comparisons: [
    {
      kind: 'published',
      title: 'Changes against the published version (dev)',
      changes: promptChanges(review.path, base, head),
    },
  ],
  defaultKind: 'published',
  unavailable: [],
};

describe('review show and the review panel render one diff', () => {
  it('names exactly the fields and messages the panel marks as changed, with the same changed words', () => {
    const panel = reviewViewModel(review, published, false).comparisons[0];
    const lines = reviewShowLines(review, published);
    const diff = lines.slice(lines.indexOf('Changes against the published version (dev):') + 1);

    const shownMessages = diff.flatMap((l) => /^ {2}message (\d+) \((\w+)\): (\w+)$/.exec(l)?.slice(1) ?? []);
    const panelMessages = panel.messages.filter((m) => m.status !== 'same');
    assert.deepEqual(
      shownMessages,
      panelMessages.flatMap((m) => [String(m.position), m.role, m.status]),
      lines.join('\n'),
    );
    assert.deepEqual(shownMessages, ['1', 'developer', 'added', '2', 'system', 'changed']);

    const shownFields = diff.flatMap((l) => /^ {2}([\w.]+): .* → /.exec(l)?.[1] ?? []);
    assert.deepEqual(
      shownFields,
      panel.fields.filter((f) => f.status !== 'same').map((f) => f.field),
    );
    assert.deepEqual(shownFields, ['parameters.temperature']);

    const markedWords = diff.flatMap((l) => [...l.matchAll(/\{\+(.*?)\+\}/g)].map((m) => m[1].trim()));
    const panelWords = panelMessages
      .filter((m) => m.status === 'changed')
      .flatMap((m) => m.runs.filter((r) => r.kind === 'added').map((r) => r.text.trim()));
    assert.deepEqual(markedWords, panelWords);
    assert.ok(
      diff.includes('      + You handle refunds. Be brief{+ and kind+}. Never promise a date.'),
      diff.join('\n'),
    );
  });

  it('shows every revision with its note, each comparison under its title (the default first) and what could not be compared', () => {
    const two: ReviewDto = {
      ...review,
      revision: 2,
      revisions: [
        {
          number: 1,
          headHash: sha(base),
          reviewedHash: sha(base),
          datasetHash: null,
          note: 'kinder',
          author: 'erin',
          gitBranch: null,
          gitCommit: null,
          createdAt: '2025-01-01T00:00:00.000Z',
        },
        {
          number: 2,
          headHash: sha(head),
          reviewedHash: sha(head),
          datasetHash: null,
          note: 'and a tool',
          author: 'erin',
          gitBranch: null,
          gitCommit: null,
          createdAt: '2025-01-02T00:00:00.000Z',
        },
      ],
    };
    const compared: ReviewComparisons = {
      comparisons: [
        {
          kind: 'previousRevision',
          title: 'Changes since revision 1',
          changes: promptChanges(review.path, base, head),
        },
        ...published.comparisons,
      ],
      defaultKind: 'previousRevision',
      unavailable: ['Base commit abc1234 is not in your clone (not found by fetching origin).'],
    };
    const lines = reviewShowLines(two, compared);
    assert.ok(lines.includes('  1. by erin at 2025-01-01T00:00:00.000Z: kinder'), lines.join('\n'));
    assert.ok(lines.includes('  2. by erin at 2025-01-02T00:00:00.000Z: and a tool'), lines.join('\n'));
    const titles = lines.filter((l) => l.startsWith('Changes '));
    assert.deepEqual(titles, ['Changes since revision 1:', 'Changes against the published version (dev):']);
    assert.ok(lines.includes('(Base commit abc1234 is not in your clone (not found by fetching origin).)'));

    const panel = reviewViewModel(two, compared, false);
    assert.equal(panel.defaultComparison, 'previousRevision');
    assert.deepEqual(
      panel.revisions.map((r) => r.note),
      ['kinder', 'and a tool'],
    );
    assert.deepEqual(panel.unavailableComparisons, compared.unavailable);
  });

  it("carries the head's evaluation into the panel, and Run evaluation only as the server allows (never offline)", () => {
    const evaluation: ReviewDto['evaluation'] = {
      required: true,
      passRate: 1,
      runs: 1,
      met: false,
      reason: 'requires a passing evaluation; none has run',
      budgetMs: 60_000,
      latest: null,
      outdated: null,
    };
    const allowed = { allowed: true, reason: 'You may run evaluations.' };
    const withRule = { ...review, evaluation, permissions: { ...review.permissions, evaluate: allowed } };
    const online = reviewViewModel(withRule, published, false);
    assert.deepEqual(online.evaluation, evaluation);
    assert.deepEqual(online.actions.runEvaluation, allowed);
    assert.equal(reviewViewModel(review, published, false).actions.runEvaluation.allowed, false);
    assert.equal(reviewViewModel(withRule, published, true).actions.runEvaluation.allowed, false);
  });
});
