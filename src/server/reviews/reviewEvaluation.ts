import type { EvaluationRule } from '../../core/access/accessPolicy';
import { LocatedError } from '../../core/diagnostics';
import { evaluationRun, type NewEvaluationRun } from '../../core/eval/evaluationRun';
import { ChatModelError } from '../../workflows/chatModel';
import { evaluateSuite, GRADER_MODEL_VARIABLE, prepareEval } from '../../workflows/evaluatePrompt';
import { endpointFromEnv, OpenAiChatModel } from '../../workflows/openAiEndpoint';
import { readRunnablePrompt } from '../../workflows/runPrompt';
import { HttpError } from '../http/httpError';
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
): Promise<NewEvaluationRun> {
  const head = state.revisions[state.revisions.length - 1];
  const { path, id } = state.review;
  const located = <T>(step: () => T): T => {
    try {
      return step();
    } catch (err) {
      if (!(err instanceof LocatedError)) throw err;
      const first = err.diagnostics[0];
      throw new HttpError(
        422,
        'invalid_prompt',
        `Revision ${head.number} of review #${id} cannot be evaluated: ${first.file}:${first.line}:${first.column}${first.field ? ` ${first.field}` : ''}: ${first.message}`,
        undefined,
        {},
        err.diagnostics,
      );
    }
  };
  const prompt = located(() => readRunnablePrompt(path, head.content));
  const suite = located(() => prepareEval(prompt));
  let chat: OpenAiChatModel;
  try {
    chat = new OpenAiChatModel(endpointFromEnv(modelEnv));
  } catch (err) {
    if (!(err instanceof ChatModelError)) throw err;
    throw new HttpError(503, 'unavailable', `The server cannot run evaluations: ${err.message} (on the server).`);
  }
  const graderModel = modelEnv[GRADER_MODEL_VARIABLE]?.trim() || undefined;
  try {
    const results = await evaluateSuite(chat, prompt, suite, {
      runs: rule.runs,
      ...(graderModel ? { graderModel } : {}),
    });
    return evaluationRun({
      reviewId: id,
      revision: head.number,
      sha256: head.headHash,
      rule,
      results,
      model: `${prompt.model.model ?? ''} at ${chat.description}${graderModel ? `; grader ${graderModel}` : ''}`,
      runBy,
      createdAt: now(),
    });
  } catch (err) {
    // The message is the endpoint module's, with any key taken out.
    if (err instanceof ChatModelError)
      throw new HttpError(502, 'model_error', `The evaluation did not finish: ${err.message}`);
    throw err;
  }
}
