// A server evaluation run as the API sends it, derived from the run's one definition
// (core/eval/evaluationRunSchema.ts): the stored record with its time as ISO 8601 and
// whether it is of the review's head. Its TypeScript type (Static) and the routes' JSON
// Schema follow from it. The review embeds a summary of it.
import { EvaluationCaseRunSchema, EvaluationRunRecordSchema } from '../../core/eval/evaluationRunSchema';
import { Type, type Static } from '../../core/schemaTypes';

export { EvaluationCaseRunSchema };

const { reviewId, cases, ...ownProperties } = EvaluationRunRecordSchema.properties;

/** A stored run's own fields, as the review and the evaluations routes both answer them. */
export const evaluationSummaryProperties = { ...ownProperties, createdAt: Type.String({ format: 'date-time' }) };

/** A server evaluation run (`GET`/`POST /api/reviews/:id/evaluations`). */
export const EvaluationRunDtoSchema = Type.Object(
  {
    ...evaluationSummaryProperties,
    reviewId,
    cases,
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
