import type { Diagnostic } from '../diagnostics';
import type { ParsedPrompt } from '../prompts/promptModel';
import { fillTemplateTags } from '../run/fillTemplateTags';
import { promptInputs } from '../run/promptInputs';
import type { EvalSuite, SourceLocation } from './evalSuite';

/**
 * What would make a case fail for a reason that is not the model's: a case without a value
 * for one of the prompt's variables, a string evaluator naming a `{{variable}}` a case does
 * not give. Found before any request, each located where it must be fixed.
 */
export function suiteProblems(prompt: ParsedPrompt, suite: EvalSuite): Diagnostic[] {
  const out: Diagnostic[] = [];
  const needed = promptInputs(prompt)
    .filter((input) => input.default === undefined)
    .map((input) => input.name);
  for (const c of suite.cases) {
    const missing = needed.filter((name) => !Object.hasOwn(c.values, name));
    if (missing.length) {
      out.push(error(c.at, `${c.name} gives no value for ${list(missing)}, which ${prompt.path} uses`));
    }
    for (const evaluator of suite.evaluators) {
      if (evaluator.kind !== 'string') continue;
      const unknown = fillTemplateTags(evaluator.text, c.values).missing;
      if (unknown.length) {
        out.push(
          error(
            evaluator.at,
            `${evaluator.name} uses ${list(unknown)}, which ${c.name} (${where(c.at)}) does not give`,
          ),
        );
      }
    }
  }
  return out;
}

function list(names: readonly string[]): string {
  return names.map((n) => `\`${n}\``).join(', ');
}

function where(at: SourceLocation): string {
  return `${at.file}:${at.line}`;
}

function error(at: SourceLocation, message: string): Diagnostic {
  return { file: at.file, line: at.line, column: at.column, field: at.field, message, severity: 'error' };
}
