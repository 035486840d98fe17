import type { ChatMessage } from '../run/chatMessage';
import { fillTemplateTags, templateText } from '../run/fillTemplateTags';
import { BUILTIN_CHOICES, BUILTIN_EVALUATORS } from './builtinEvaluators';
import type { BuiltinEvaluator, GradingChoice, ModelGradedEvaluator } from './evalSuite';

/** What to ask a grading model, and how to read its answer. */
export interface GradingRequest {
  messages: ChatMessage[];
  choices: readonly GradingChoice[];
}

/**
 * The grading conversation for one answer: an `llm` evaluator's own prompt with the case's
 * variables and `{{completion}}` (the answer) filled in, or PromptOps' prompt for a GitHub
 * built-in. A string when the case lacks something the grading needs.
 */
export function gradingRequest(
  evaluator: ModelGradedEvaluator | BuiltinEvaluator,
  values: Record<string, unknown>,
  output: string,
): GradingRequest | string {
  if (evaluator.kind === 'llm') {
    const filled = { ...values, completion: output };
    const messages: ChatMessage[] = [];
    if (evaluator.systemPrompt !== undefined) {
      messages.push({ role: 'system', content: fillTemplateTags(evaluator.systemPrompt, filled).text });
    }
    messages.push({ role: 'user', content: fillTemplateTags(evaluator.prompt, filled).text });
    return { messages, choices: evaluator.choices };
  }
  const builtin = BUILTIN_EVALUATORS[evaluator.uses];
  if (!builtin) return `unknown built-in evaluator ${evaluator.uses}`;
  const missing = builtin.needs.filter((name) => values[name] === undefined);
  if (missing.length) return `needs ${missing.map((m) => `\`${m}\``).join(', ')} in the case`;
  const { expected, ...inputs } = values;
  const parts = [
    `<input>\n${Object.entries(inputs)
      .map(([name, value]) => `${name}: ${templateText(value)}`)
      .join('\n')}\n</input>`,
    ...(expected !== undefined ? [`<expected>\n${templateText(expected)}\n</expected>`] : []),
    `<answer>\n${output}\n</answer>`,
  ];
  return {
    messages: [
      {
        role: 'system',
        content:
          `You grade answers of an AI assistant. Rate ${builtin.criterion}. ` +
          'Reply with a single digit from 1 to 5 and nothing else.',
      },
      { role: 'user', content: parts.join('\n\n') },
    ],
    choices: BUILTIN_CHOICES,
  };
}
