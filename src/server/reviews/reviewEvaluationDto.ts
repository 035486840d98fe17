import { caseInput, headEvaluation } from '../../core/eval/headEvaluation';
import type { EvaluationRunRecord } from '../../core/eval/evaluationRun';
import type { ApprovalRule } from '../../core/access/accessPolicy';
import type { ReviewEvaluationDto, ReviewEvaluationRunDto } from '../../shared/api/reviews';
import type { ReviewState } from '../store/reviewRecords';
import { evaluationGate } from './evaluationGate';
import { headEvaluationBudgetMs, headSuite } from './reviewEvaluation';

const summary = (run: EvaluationRunRecord): Omit<ReviewEvaluationRunDto, 'cases'> => ({
  id: run.id,
  revision: run.revision,
  sha256: run.sha256,
  runs: run.runs,
  requiredPassRate: run.requiredPassRate,
  passedRuns: run.passedRuns,
  judgedRuns: run.judgedRuns,
  passed: run.passed,
  model: run.model,
  runBy: run.runBy,
  createdAt: new Date(run.createdAt).toISOString(),
  digest: run.digest,
});

/**
 * Each case's values, by name, read again from the content the run evaluated (the head:
 * a run of the head has its reviewed hash), the way the run read them. Runs store answers, not
 * inputs; content that no longer reads gives no inputs rather than an error.
 */
function caseInputs(state: ReviewState): Map<string, string> {
  try {
    const { suite } = headSuite(state);
    return new Map(suite.cases.map((c) => [c.name, caseInput(c.values)]));
  } catch {
    return new Map();
  }
}

/** The evaluation state of the review's head, for the panel: the rule, the gate, the head's newest run with its table. */
export function reviewEvaluationDto(
  state: ReviewState,
  rule: ApprovalRule,
  modelEnv: NodeJS.ProcessEnv,
): ReviewEvaluationDto {
  const wanted = rule.evaluations;
  const gate = evaluationGate(state, rule);
  const { latest, outdated } = headEvaluation(state.evaluations, {
    revision: state.review.revision,
    sha256: state.review.reviewedHash,
  });
  const inputs = latest ? caseInputs(state) : new Map<string, string>();
  return {
    required: wanted?.required ?? false,
    passRate: wanted?.passRate ?? 1,
    runs: wanted?.runs ?? 1,
    met: gate.met,
    reason: gate.reason,
    budgetMs: headEvaluationBudgetMs(state, { runs: wanted?.runs ?? 1 }, modelEnv),
    latest: latest
      ? {
          ...summary(latest),
          cases: latest.cases.map((c) => ({ name: c.name, input: inputs.get(c.name) ?? null, runs: c.runs })),
        }
      : null,
    outdated: outdated ? summary(outdated) : null,
  };
}
