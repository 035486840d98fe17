// The one definition of a server evaluation run. Its TypeScript types (Static), the API's DTO
// and the evaluations routes' JSON Schema (shared/api/evaluations.ts) follow from it.
import { StringEnum, Type, type Static } from '../schemaTypes';

export const VerdictStatusSchema = StringEnum(['pass', 'fail', 'skipped']);

/** One run of one case in a stored evaluation: the answer and each evaluator's verdict. */
export const EvaluationCaseRunSchema = Type.Object(
  {
    output: Type.String(),
    status: VerdictStatusSchema,
    verdicts: Type.Array(
      Type.Object(
        { evaluator: Type.String(), status: VerdictStatusSchema, detail: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** One case of a stored run: every run's answer and each evaluator's verdict on it. */
export const EvaluationCaseOutcomeSchema = Type.Object(
  { name: Type.String(), runs: Type.Array(EvaluationCaseRunSchema) },
  { additionalProperties: false },
);

/**
 * An evaluation the server ran on one revision of a review, bound to that revision's
 * sha256. `digest` is the sha256 of the canonical JSON of every other field but `id`:
 * the release record carries it, so a release names exactly the run that let it through.
 */
export const EvaluationRunRecordSchema = Type.Object(
  {
    id: Type.String(),
    reviewId: Type.String(),
    revision: Type.Integer(),
    sha256: Type.String({ description: 'sha256 of the evaluated content (the revision head).' }),
    runs: Type.Integer({ description: 'Runs per case, as the rule said when the run was made.' }),
    requiredPassRate: Type.Number({ description: 'The pass rate the rule required when the run was made.' }),
    passedRuns: Type.Integer(),
    judgedRuns: Type.Integer(),
    passed: Type.Boolean({ description: 'judgedRuns > 0 and passedRuns / judgedRuns reached requiredPassRate.' }),
    cases: Type.Array(EvaluationCaseOutcomeSchema),
    model: Type.String({
      description: "Where the answers came from (the endpoint's redacted description and model ids).",
    }),
    runBy: Type.String(),
    createdAt: Type.Integer({ description: 'Milliseconds since the epoch.' }),
    digest: Type.String({ description: 'sha256 of the canonical JSON of the run; the release record carries it.' }),
  },
  { additionalProperties: false },
);

export type VerdictStatus = Static<typeof VerdictStatusSchema>;
export type EvaluationCaseOutcome = Static<typeof EvaluationCaseOutcomeSchema>;
export type EvaluationRunRecord = Static<typeof EvaluationRunRecordSchema>;
export type NewEvaluationRun = Omit<EvaluationRunRecord, 'id'>;
