import type { Diagnostic } from '../diagnostics';
import { describeType, isPlainRecord, readMetadata } from '../prompts/metadataSource';
import type { ParsedPrompt } from '../prompts/promptModel';
import { TextPositions } from '../textPositions';
import type { EvalCase, EvalSuite } from './evalSuite';
import { evalTestsSchemaDiagnostics } from './evalTestsSchema';
import { location, readEvaluators } from './readEvaluators';

const BOM = '\uFEFF';

/**
 * The cases and evaluators a prompt file carries itself: a GitHub Models `.prompt.yml`'s
 * `testData` (each row's keys are variables; `expected` is one like any other) and
 * `evaluators`. Other formats carry none. Problems are located in the prompt file.
 */
export function promptEvalSuite(prompt: ParsedPrompt): { suite: EvalSuite; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const none = { suite: { cases: [], evaluators: [] }, diagnostics };
  if (prompt.format !== 'github-models') return none;
  const text = prompt.serialize();
  const offset = text.startsWith(BOM) ? BOM.length : 0;
  const { yaml, data } = readMetadata(prompt.path, text.slice(offset), new TextPositions(text), offset, []);

  const cases: EvalCase[] = [];
  const rows = data.testData;
  if (rows !== undefined && rows !== null && !Array.isArray(rows)) {
    diagnostics.push(yaml.diagnostic(['testData'], `must be a list of variable maps, found ${describeType(rows)}`));
  } else {
    (rows ?? []).forEach((row: unknown, i) => {
      if (isPlainRecord(row)) {
        cases.push({ name: `case ${i + 1}`, values: row, at: location(yaml, ['testData', i]) });
      } else {
        diagnostics.push(
          yaml.diagnostic(
            ['testData', i],
            `must be a map of variable values, e.g. \`input: hello\`, found ${describeType(row)}`,
          ),
        );
      }
    });
  }
  if (data.evaluators === undefined || data.evaluators === null)
    return { suite: { cases, evaluators: [] }, diagnostics };
  const schemaErrors = evalTestsSchemaDiagnostics(yaml, { tests: [], evaluators: data.evaluators });
  diagnostics.push(...schemaErrors);
  const evaluators = schemaErrors.length ? [] : readEvaluators(yaml, data.evaluators, diagnostics);
  return { suite: { cases, evaluators }, diagnostics };
}
