import type { EvaluationRule } from '../../core/access/accessPolicy';
import { LocatedError } from '../../core/diagnostics';
import { evaluationRun, type NewEvaluationRun } from '../../core/eval/evaluationRun';
import { ChatModelError } from '../../workflows/chatModel';
import { evaluateSuite, GRADER_MODEL_VARIABLE, prepareEval } from '../../workflows/evaluatePrompt';
import { endpointFromEnv, OpenAiChatModel } from '../../workflows/openAiEndpoint';
import { readRunnablePrompt } from '../../workflows/runPrompt';
import { refusal, type Refusable } from './refusal';
import type { ReviewState } from '../store/reviewRecords';

/**
 * Runs the evaluation of the review's head as it is stored (never content a client
 * sends), on the model the server's own environment names, with the prompt's own
 * `testData` and `evaluators`: a `.tests.yaml` beside the prompt is not part of the
 * reviewed content, so it cannot count. Rendering goes through src/core/run, whose
 * Jinja engine (nunjucks) has no loaders and sees only a value's own data, so a
 * template in a review cannot reach files or code on the server.
 */
export async function evaluateReviewHead(
  state: ReviewState,
  rule: Pick<EvaluationRule, 'passRate' | 'runs'>,
  modelEnv: NodeJS.ProcessEnv,
  runBy: string,
  now: () => number,
): Promise<Refusable<NewEvaluationRun>> {
  const head = state.revisions[state.revisions.length - 1];
  const { path, id } = state.review;
  let prompt: ReturnType<typeof readRunnablePrompt>;
  let suite: ReturnType<typeof prepareEval>;
  try {
    prompt = readRunnablePrompt(path, head.content);
    suite = prepareEval(prompt);
  } catch (err) {
    if (!(err instanceof LocatedError)) throw err;
    const first = err.diagnostics[0];
    return {
      ok: false,
      refusal: refusal(
        'invalid',
        'invalid_prompt',
        `Revision ${head.number} of review #${id} cannot be evaluated: ${first.file}:${first.line}:${first.column}${first.field ? ` ${first.field}` : ''}: ${first.message}`,
        { diagnostics: err.diagnostics },
      ),
    };
  }
  let chat: OpenAiChatModel;
  try {
    chat = new OpenAiChatModel(endpointFromEnv(modelEnv));
  } catch (err) {
    if (!(err instanceof ChatModelError)) throw err;
    return {
      ok: false,
      refusal: refusal(
        'unavailable',
        'unavailable',
        `The server cannot run evaluations: ${err.message} (on the server).`,
      ),
    };
  }
  const graderModel = modelEnv[GRADER_MODEL_VARIABLE]?.trim() || undefined;
  try {
    const results = await evaluateSuite(chat, prompt, suite, {
      runs: rule.runs,
      ...(graderModel ? { graderModel } : {}),
    });
    const run = evaluationRun({
      reviewId: id,
      revision: head.number,
      sha256: head.headHash,
      rule,
      results,
      model: `${prompt.model.model ?? ''} at ${chat.description}${graderModel ? `; grader ${graderModel}` : ''}`,
      runBy,
      createdAt: now(),
    });
    return { ok: true, value: run };
  } catch (err) {
    // The message is the endpoint module's, with any key taken out.
    if (!(err instanceof ChatModelError)) throw err;
    return {
      ok: false,
      refusal: refusal('upstream_failed', 'model_error', `The evaluation did not finish: ${err.message}`),
    };
  }
}
