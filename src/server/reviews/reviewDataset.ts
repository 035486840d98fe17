import { formatDiagnostic } from '../../core/diagnostics';
import { evalDatasetPath } from '../../core/eval/evalDatasetPath';
import { parseEvalDataset } from '../../core/eval/parseEvalDataset';
import { isPolicyReviewPath } from '../../core/review/policyApproval';
import { refusal, type Refusable } from './refusal';

/**
 * The dataset a request uploads beside the prompt at `path` (null when none), checked as
 * `promptops eval` reads it: refused (invalid, every problem located in the
 * `<prompt>.tests.yaml`) when it is not a valid dataset, so no review carries one that
 * its evaluation could not read.
 */
export function reviewDataset(path: string, dataset: string | undefined): Refusable<string | null> {
  if (dataset === undefined) return { ok: true, value: null };
  if (isPolicyReviewPath(path)) {
    return {
      ok: false,
      refusal: refusal('invalid', 'validation_failed', `"dataset": ${path} is the access file, which has no dataset.`, {
        field: 'dataset',
      }),
    };
  }
  const file = evalDatasetPath(path);
  const errors = parseEvalDataset(file, dataset).diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return { ok: true, value: dataset };
  return {
    ok: false,
    refusal: refusal(
      'invalid',
      'invalid_dataset',
      `"dataset" is not a valid dataset for ${path}: ${formatDiagnostic(errors[0])}`,
      {
        field: 'dataset',
        diagnostics: errors,
      },
    ),
  };
}
