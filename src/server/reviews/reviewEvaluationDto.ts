import { caseInput, headEvaluation } from '../../core/eval/headEvaluation';
import { valuesStartingMessages } from '../../core/run/valuesStartingMessages';
import type { EvaluationRunRecord } from '../../core/eval/evaluationRun';
import type { ApprovalRule } from '../../core/access/accessPolicy';
import type { ReviewEvaluationDto, ReviewEvaluationRunDto } from '../../shared/api/reviews';
import type { ReviewState } from '../store/reviewRecords';
import { evaluationGate } from './evaluationGate';
import { headEvaluationBudgetMs, headSuite } from './reviewEvaluation';

/** The run's own fields as the API sends them: all but its review and cases, the time as ISO 8601. */
function summary(run: EvaluationRunRecord): Omit<ReviewEvaluationRunDto, 'cases'> {
  const { reviewId: _reviewId, cases: _cases, ...own } = run;
  return { ...own, createdAt: new Date(run.createdAt).toISOString() };
}

/** A case as read again from the evaluated head: its values as JSON, and what Prompty made messages of. */
interface CaseRead {
  input: string;
  warnings: string[];
}

/**
 * Each case's values, by name, read again from the content the run evaluated (the head:
 * a run of the head has its reviewed hash), the way the run read them, with the values Prompty
 * read as messages of their own. Runs store answers, not inputs; content that no longer reads
 * gives no inputs rather than an error.
 */
function caseInputs(state: ReviewState): Map<string, CaseRead> {
  try {
    const { prompt, suite } = headSuite(state);
    return new Map(
      suite.cases.map((c) => [
        c.name,
        { input: caseInput(c.values), warnings: valuesStartingMessages(prompt, c.values).map((w) => w.message) },
      ]),
    );
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
  const inputs = latest ? caseInputs(state) : new Map<string, CaseRead>();
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
          cases: latest.cases.map((c) => {
            const read = inputs.get(c.name);
            const warnings = read?.warnings.length ? { warnings: read.warnings } : {};
            return { name: c.name, input: read?.input ?? null, ...warnings, runs: c.runs };
          }),
        }
      : null,
    outdated: outdated ? summary(outdated) : null,
  };
}
