import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { FakeChatEndpoint } from '../../support/fakeChatEndpoint';
import { TEST_USERS } from '../fixture/testUsers';
import { browser, closeAllEditors, hasBrowser, repoRoot, repoUri, signInAs, signOut, waitFor } from './helpers';
import { reviewPanelView } from './reviewPanelView';
import { restoreEnv } from '../../support/restoreEnv';

/** In `support`, env `test`: the access file requires a passing evaluation (every case, one run). */
const FAQ = 'prompts/support/faq.prompt.yml';
const DATASET = 'prompts/support/faq.tests.yaml';
const faq = (tone: string) => `name: FAQ
model: openai/gpt-4o-mini
env: test
testData:
  - question: refunds
    expected: refunds
messages:
  - role: system
    content: 'Tone: ${tone}'
  - role: user
    content: 'Answer about {{question}}'
evaluators:
  - name: mentions the topic
    string:
      contains: '{{expected}}'
`;
const git = (...args: string[]) => execFileSync('git', args, { cwd: repoRoot(), encoding: 'utf8' });

describe('evaluations in the review panel (the gate, Run evaluation, Compare behaviour)', () => {
  let reviewId = '';
  /** The second review: the warmer version against the published one. */
  let warmerId = '';
  let endpoint: FakeChatEndpoint;
  const saved = { ...process.env };

  before(async () => {
    // The user's own model for "Compare behaviour" (the server has its own, started by the runner).
    endpoint = await FakeChatEndpoint.start();
    endpoint.reply = { kind: 'compute', answer: (req) => `mine: ${req.messages.map((m) => m.content).join(' / ')}` };
    process.env.PROMPTOPS_MODEL_BASE_URL = endpoint.baseURL;
    process.env.PROMPTOPS_MODEL_API_KEY = 'sk-vscode-compare-0123456789';
  });
  after(async () => {
    restoreEnv(saved, ['PROMPTOPS_MODEL_BASE_URL', 'PROMPTOPS_MODEL_API_KEY']);
    await endpoint.stop();
    rmSync(repoUri(DATASET).fsPath, { force: true });
    await closeAllEditors();
    await signOut();
  });

  it('required and not run: the panel shows "no run for this revision" and Publish is blocked with the reason', async () => {
    const api = await signInAs(TEST_USERS.alice);
    writeFileSync(repoUri(FAQ).fsPath, faq('plain'));
    await api.settled();
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: FAQ,
      note: 'An FAQ answerer',
    });
    reviewId = review.id;
    assert.equal(review.env, 'test');
    const runIt = `Run the evaluation: the Run evaluation button in the review panel, or \`promptops review evaluate ${reviewId}\`.`;

    // Nothing approved and nothing run: both blockers, each once, the evaluation first (a
    // failing one needs a new revision, which earlier approvals stop counting for).
    const early = await signInAs(TEST_USERS.carol);
    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    const first = await reviewPanelView(early.reviewPanel(reviewId)!);
    const before = await waitFor('carol to see the review', () => first.model);
    assert.equal(before.publishBlockers.length, 2, before.publishBlockers.join('\n'));
    assert.match(before.publishBlockers[0], /requires a passing evaluation .* none has run/);
    assert.ok(before.publishBlockers[0].endsWith(runIt), before.publishBlockers[0]);
    assert.ok(!before.publishBlockers[0].includes('/api/'), 'a person is not told an API path');
    assert.match(before.publishBlockers[1], /^1 more approval from .* \(0 of 1 so far\)\.$/);

    await signInAs(TEST_USERS.bob);
    await vscode.commands.executeCommand('promptops.approveReview', { id: reviewId, headHash: review.headHash }, 'ok');

    const carol = await signInAs(TEST_USERS.carol);
    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    const shown = await reviewPanelView(carol.reviewPanel(reviewId)!);
    const model = await waitFor('the panel to show the approval', () => shown.model?.approval.met && shown.model);
    assert.deepEqual(
      [model.evaluation.required, model.evaluation.passRate, model.evaluation.runs, model.evaluation.met],
      [true, 1, 1, false],
    );
    assert.equal(model.evaluation.latest, null, 'no run for this revision');
    assert.equal(model.evaluation.outdated, null);
    assert.equal(model.actions.publish.allowed, false);
    assert.match(model.actions.publish.reason, /requires a passing evaluation .* none has run/);
    // Approvals met: the evaluation is the one blocker, said once.
    assert.deepEqual(model.publishBlockers, [model.evaluation.reason]);
    assert.ok(model.evaluation.reason.endsWith(runIt), model.evaluation.reason);
    assert.equal(model.actions.runEvaluation.allowed, true, 'a publisher (an editor) may run evaluations');
    await browser({ kind: 'screenshot', name: 'review-panel-evaluation-required' });
  });

  it('bob (reviewer) may not run the evaluation: no button, and the server refuses if asked', async () => {
    const bob = await signInAs(TEST_USERS.bob);
    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    const panel = bob.reviewPanel(reviewId)!;
    const shown = await reviewPanelView(panel);
    await waitFor('bob to see the review', () => shown.model?.id === reviewId);
    await waitFor('bob to see his own permissions', () => shown.model?.actions.runEvaluation.allowed === false);
    assert.match(shown.model!.actions.runEvaluation.reason, /evaluation/i);
    await panel.handleMessage({ type: 'runEvaluation' });
    // The server's refusal, as the panel shows it.
    assert.match(
      shown.error ?? '',
      /Running evaluations of test prompts in `support` needs .*; you are `reviewer` in `support`/,
    );
    assert.equal(shown.model?.evaluation.latest, null, 'nothing was run');
    panel.dispose();
  });

  it('carol runs the evaluation: the table shows each case (input, output, verdicts) and the passing state', async () => {
    const carol = await signInAs(TEST_USERS.carol);
    await vscode.commands.executeCommand('promptops.openReview', { id: reviewId });
    const panel = carol.reviewPanel(reviewId)!;
    const shown = await reviewPanelView(panel);
    await waitFor('carol to see her permissions', () => shown.model?.actions.runEvaluation.allowed);
    if (hasBrowser()) await browser({ kind: 'clickInWebview', selector: 'button[data-action="runEvaluation"]' });
    else await panel.handleMessage({ type: 'runEvaluation' });
    const latest = await waitFor('the run to show', () => shown.model?.evaluation.latest ?? undefined, 30_000);
    assert.equal(shown.error, undefined);
    assert.deepEqual(
      latest.cases.map((c) => ({
        name: c.name,
        input: c.input,
        runs: c.runs.map((r) => [r.output, r.status, r.verdicts.map((v) => [v.evaluator, v.status])]),
      })),
      [
        {
          name: 'case 1',
          input: '{"question":"refunds","expected":"refunds"}',
          // The server's model answers with what it was told and asked.
          runs: [['Tone: plain / Answer about refunds', 'pass', [['mentions the topic', 'pass']]]],
        },
      ],
    );
    assert.deepEqual([latest.passed, latest.passedRuns, latest.judgedRuns, latest.runBy], [true, 1, 1, 'carol']);
    assert.equal(shown.model?.evaluation.met, true);
    assert.equal(shown.model?.actions.publish.allowed, true, 'the gate is met: Publish is offered');
    assert.deepEqual(shown.model?.publishBlockers, [], 'nothing blocks publishing');
    await browser({ kind: 'screenshot', name: 'review-panel-evaluation-passed' });
  });

  it('Compare behaviour runs the published and the proposed version on the same inputs with my model, side by side', async () => {
    await signInAs(TEST_USERS.carol);
    await vscode.commands.executeCommand('promptops.publishReview', { id: reviewId }, { scripted: true });
    assert.equal(git('status', '--porcelain', '--', FAQ).trim(), '', 'the first version is published and committed');

    const alice = await signInAs(TEST_USERS.alice);
    writeFileSync(repoUri(FAQ).fsPath, faq('warm'));
    // The dataset beside the prompt adds a case; the review request uploads it with the prompt.
    writeFileSync(repoUri(DATASET).fsPath, 'tests:\n  - variables: { question: delivery, expected: delivery }\n');
    await alice.settled();
    const review = await vscode.commands.executeCommand<ReviewDto>('promptops.requestReview', {
      path: FAQ,
      note: 'Warmer',
    });
    assert.ok(review.baseContent?.includes('Tone: plain'));
    warmerId = review.id;

    const carol = await signInAs(TEST_USERS.carol);
    await vscode.commands.executeCommand('promptops.openReview', { id: review.id });
    const panel = carol.reviewPanel(review.id)!;
    const shown = await reviewPanelView(panel);
    await waitFor('the new review', () => shown.model?.id === review.id);
    assert.equal(shown.model?.evaluation.latest, null, 'the published run is not this review head');
    assert.equal(shown.model?.actions.compareBehaviour.allowed, true);
    await panel.handleMessage({ type: 'compareBehaviour', model: 'endpoint' });
    assert.equal(shown.error, undefined);
    assert.equal(shown.behaviour?.headHash, review.reviewedHash);
    assert.deepEqual(shown.behaviour?.comparison.cases, [
      {
        name: 'case 1',
        input: '{"question":"refunds","expected":"refunds"}',
        published: { output: 'mine: Tone: plain / Answer about refunds' },
        proposed: { output: 'mine: Tone: warm / Answer about refunds' },
      },
      {
        name: 'case 2',
        input: '{"question":"delivery","expected":"delivery"}',
        published: { output: 'mine: Tone: plain / Answer about delivery' },
        proposed: { output: 'mine: Tone: warm / Answer about delivery' },
      },
    ]);
    await browser({ kind: 'screenshot', name: 'review-panel-behaviour' });
  });

  it('Compare behaviour says clearly when the endpoint fails or no model is configured, and nothing hangs', async () => {
    const carol = await signInAs(TEST_USERS.carol);
    const panel = carol.reviewPanel(warmerId)!;
    const shown = await reviewPanelView(panel);
    endpoint.reply = { kind: 'error', status: 500, message: 'model down sk-vscode-compare-0123456789' };
    await panel.handleMessage({ type: 'compareBehaviour', model: 'endpoint' });
    assert.match(shown.error ?? '', /HTTP 500/);
    assert.ok(!shown.error?.includes('sk-vscode-compare-0123456789'), 'never the key');

    delete process.env.PROMPTOPS_MODEL_BASE_URL;
    await panel.handleMessage({ type: 'compareBehaviour', model: 'endpoint' });
    assert.match(shown.error ?? '', /PROMPTOPS_MODEL_BASE_URL/);
    process.env.PROMPTOPS_MODEL_BASE_URL = endpoint.baseURL;
  });
});
