import { fillTemplateTags } from '../run/fillTemplateTags';
import type { EvaluatorVerdict } from './evalResult';
import type { StringEvaluator } from './evalSuite';

const WORDS: Record<StringEvaluator['match'], string> = {
  equals: 'equal',
  contains: 'contain',
  startsWith: 'start with',
  endsWith: 'end with',
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
  const how = `${passed ? 'does' : 'does not'} ${WORDS[evaluator.match]} ${JSON.stringify(expected)}`;
  return {
    evaluator: evaluator.name,
    kind: 'string',
    status: passed ? 'pass' : 'fail',
    detail: evaluator.ignoreCase ? `${how} (ignoring case)` : how,
    score: passed ? 1 : 0,
    at: evaluator.at,
  };
}
