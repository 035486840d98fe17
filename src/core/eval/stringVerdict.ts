import { fillTemplateTags } from '../run/fillTemplateTags';
import type { EvaluatorVerdict } from './evalResult';
import type { StringEvaluator } from './evalSuite';

/** How a verdict reads, passed and failed. */
const WORDS: Record<StringEvaluator['match'], [string, string]> = {
  equals: ['equals', 'does not equal'],
  contains: ['contains', 'does not contain'],
  startsWith: ['starts with', 'does not start with'],
  endsWith: ['ends with', 'does not end with'],
};

/**
 * A string evaluator's verdict on an answer. The case's `{{variables}}` are filled into the
 * expected text first; the answer is compared without its surrounding whitespace (models
 * often end with a newline), and case matters unless `ignoreCase: true`.
 */
export function stringVerdict(
  evaluator: StringEvaluator,
  values: Record<string, unknown>,
  output: string,
): EvaluatorVerdict {
  const expected = fillTemplateTags(evaluator.text, values).text;
  const fold = (s: string): string => (evaluator.ignoreCase ? s.toLowerCase() : s);
  const answer = fold(output.trim());
  const wanted = fold(expected);
  const passed =
    evaluator.match === 'equals'
      ? answer === wanted
      : evaluator.match === 'contains'
        ? answer.includes(wanted)
        : evaluator.match === 'startsWith'
          ? answer.startsWith(wanted)
          : answer.endsWith(wanted);
  const how = `${WORDS[evaluator.match][passed ? 0 : 1]} ${JSON.stringify(expected)}`;
  return {
    evaluator: evaluator.name,
    kind: 'string',
    status: passed ? 'pass' : 'fail',
    detail: evaluator.ignoreCase ? `${how} (ignoring case)` : how,
    score: passed ? 1 : 0,
    at: evaluator.at,
  };
}
