// The one definition of a server evaluation run as the API sends it: its TypeScript type
// (Static) and the routes' JSON Schema follow from it. The review embeds a summary of it.
import { StringEnum, Type, type Static } from '../../core/schemaTypes';

const verdictStatus = StringEnum(['pass', 'fail', 'skipped']);

/** One run of one case in a stored evaluation: the answer and each evaluator's verdict. */
export const EvaluationCaseRunSchema = Type.Object(
  {
    output: Type.String(),
    status: verdictStatus,
    verdicts: Type.Array(
      Type.Object(
        { evaluator: Type.String(), status: verdictStatus, detail: Type.String() },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

/** A stored run's own fields, as the review and the evaluations routes both answer them. */
export const evaluationSummaryProperties = {
  id: Type.String(),
  revision: Type.Integer(),
  sha256: Type.String({ description: 'sha256 of the evaluated content (the revision head).' }),
  runs: Type.Integer({ description: 'Runs per case, as the rule said when the run was made.' }),
  requiredPassRate: Type.Number(),
  passedRuns: Type.Integer(),
  judgedRuns: Type.Integer(),
  passed: Type.Boolean({ description: 'judgedRuns > 0 and passedRuns / judgedRuns reached requiredPassRate.' }),
  model: Type.String({
    description: "Where the answers came from (the endpoint's redacted description and model ids).",
  }),
  runBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  digest: Type.String({ description: 'sha256 of the canonical JSON of the run; the release record carries it.' }),
};

/** A server evaluation run (`GET`/`POST /api/reviews/:id/evaluations`). */
export const EvaluationRunDtoSchema = Type.Object(
  {
    ...evaluationSummaryProperties,
    reviewId: Type.String(),
    cases: Type.Array(
      Type.Object({ name: Type.String(), runs: Type.Array(EvaluationCaseRunSchema) }, { additionalProperties: false }),
    ),
    current: Type.Boolean({
      description: 'Whether the run is of the review head (its revision and reviewedHash).',
    }),
  },
  { additionalProperties: false },
);

export const EvaluationRunListResponseSchema = Type.Object(
  { runs: Type.Array(EvaluationRunDtoSchema) },
  { additionalProperties: false },
);

export type EvaluationRunDto = Static<typeof EvaluationRunDtoSchema>;
export type EvaluationRunListResponse = Static<typeof EvaluationRunListResponseSchema>;
