import type { Diagnostic } from '../diagnostics';
import { isPlainRecord, readMetadata } from '../prompts/metadataSource';
import { TextPositions } from '../textPositions';
import type { EvalCase, EvalSuite } from './evalSuite';
import { evalTestsSchemaDiagnostics } from './evalTestsSchema';
import { location, readEvaluators } from './readEvaluators';

/**
 * Reads a `<prompt>.tests.yaml` dataset (schemas/eval-tests.schema.json): `tests` with
 * `variables` and `expected`, and optional `evaluators`. Pure; never throws: every problem
 * is a diagnostic with file, line and field. `expected` reaches evaluators as `{{expected}}`.
 */
export function parseEvalDataset(path: string, text: string): { suite: EvalSuite; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const { yaml, data } = readMetadata(path, text, new TextPositions(text), 0, diagnostics);
  const empty = { suite: { cases: [], evaluators: [] }, diagnostics };
  if (diagnostics.some((d) => d.severity === 'error')) return empty;
  diagnostics.push(...evalTestsSchemaDiagnostics(yaml, data));
  if (diagnostics.some((d) => d.severity === 'error')) return empty;
  const cases: EvalCase[] = (data.tests as Record<string, unknown>[]).map((test, i) => ({
    name: typeof test.name === 'string' ? test.name : `case ${i + 1}`,
    values: {
      ...(isPlainRecord(test.variables) ? test.variables : {}),
      ...(typeof test.expected === 'string' ? { expected: test.expected } : {}),
    },
    at: location(yaml, ['tests', i]),
  }));
  const evaluators = readEvaluators(yaml, data.evaluators, diagnostics);
  return { suite: { cases, evaluators }, diagnostics };
}
