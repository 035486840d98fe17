import type { ApprovalRule } from '../../core/access/accessPolicy';
import { passingRunFor, type EvaluationRunRecord } from '../../core/eval/evaluationRun';
import type { ApiRequestDto } from '../../shared/api/errors';
import type { ReviewState, ReviewVerdicts } from '../store/reviewRecords';

/** A review as permissions see it: its runs only where they were read (a single review, not a list). */
export type ReviewWithRuns = ReviewVerdicts & Partial<Pick<ReviewState, 'evaluations'>>;

export type EvaluationGate =
  | { met: true; run?: EvaluationRunRecord; reason: string }
  | { met: false; reason: string; run?: undefined; request: ApiRequestDto };

const percent = (rate: number): string => `${Math.round(rate * 1000) / 10}%`;

/**
 * Whether the approval rule's `evaluations` let the review's head be published: not
 * required, or a passing server run of exactly this revision and sha256 (an older
 * revision's run never counts, even for the same content).
 */
export function evaluationGate(state: ReviewWithRuns, rule: ApprovalRule): EvaluationGate {
  const wanted = rule.evaluations;
  if (!wanted?.required) return { met: true, reason: '' };
  // The reviewed hash covers the prompt and the dataset it carries: a run of either alone never counts.
  const { id, revision, reviewedHash: headHash, workspace, env } = state.review;
  // API clients get the request to send; people are told the button and the command instead.
  const request: ApiRequestDto = { method: 'POST', path: `/api/reviews/${id}/evaluations` };
  // Lists read reviews without their runs; never take "not read" for "none passed" or "passed".
  if (!state.evaluations)
    return { met: false, request, reason: `The evaluation runs of review #${id} were not read; open the review.` };
  const head = `revision ${revision} (sha256 ${headHash})`;
  const runs = state.evaluations;
  const run = passingRunFor(runs, { revision, sha256: headHash }, wanted);
  if (run) return { met: true, run, reason: `Evaluation run #${run.id} of ${head} passed (digest ${run.digest}).` };
  const needs = `The approval rule for \`${workspace}\` in \`${env}\` requires a passing evaluation (pass rate at least ${percent(wanted.passRate)}, ${wanted.runs} run${wanted.runs === 1 ? '' : 's'} per case) of the head, ${head}`;
  const ofHead = runs.filter((r) => r.revision === revision && r.sha256 === headHash);
  const last = ofHead[ofHead.length - 1];
  if (last) {
    const rate = last.judgedRuns ? percent(last.passedRuns / last.judgedRuns) : 'nothing judged';
    return {
      met: false,
      request,
      reason: `${needs}; its latest run #${last.id} did not pass (${last.passedRuns} of ${last.judgedRuns} runs passed: ${rate}, ${last.runs} run${last.runs === 1 ? '' : 's'} per case). Fix the prompt, or run the evaluation again: ${whereToRun(id)}.`,
    };
  }
  const older = runs.length
    ? ` Runs of earlier revisions (${[...new Set(runs.map((r) => r.revision))].join(', ')}) do not count.`
    : '';
  return {
    met: false,
    request,
    reason: `${needs}; none has run.${older} Run the evaluation: ${whereToRun(id)}.`,
  };
}

/** Where a person runs it: the panel's button or the CLI (the API path is in the refusal's `request` field). */
const whereToRun = (id: string): string =>
  `the Run evaluation button in the review panel, or \`promptops review evaluate ${id}\``;
