import type { EvaluationRule } from '../../core/access/accessPolicy';
import { LocatedError } from '../../core/diagnostics';
import { evaluationBudgetMs, evaluationCalls } from '../../core/eval/evaluationBudget';
import { evalDatasetPath } from '../../core/eval/evalDatasetPath';
import type { EvalSuite } from '../../core/eval/evalSuite';
import { evaluationRun, type NewEvaluationRun } from '../../core/eval/evaluationRun';
import type { ParsedPrompt } from '../../core/prompts';
import { ChatModelError } from '../../workflows/chatModel';
import { evaluateSuite, GRADER_MODEL_VARIABLE, prepareEval } from '../../workflows/evaluatePrompt';
import { endpointFromEnv, MODEL_TIMEOUT_VARIABLE, OpenAiChatModel } from '../../workflows/openAiEndpoint';
import { readRunnablePrompt } from '../../workflows/runPrompt';
import { refusal, type Refusable } from './refusal';
import type { ReviewState } from '../store/reviewRecords';

/**
 * The head's prompt and what its evaluation runs: the prompt's own `testData` and
 * `evaluators` plus the `<prompt>.tests.yaml` uploaded with the revision, when it carries
 * one (both are in the reviewed hash a run is bound to). Throws a LocatedError as prepareEval.
 */
export function headSuite(state: ReviewState): { prompt: ParsedPrompt; suite: EvalSuite } {
  const head = state.revisions[state.revisions.length - 1];
  const prompt = readRunnablePrompt(state.review.path, head.content);
  const dataset = head.dataset === null ? undefined : { path: evalDatasetPath(state.review.path), text: head.dataset };
  return { prompt, suite: prepareEval(prompt, dataset) };
}

/**
 * Runs the evaluation of the review's head as it is stored (never content a client
 * sends), on the model the server's own environment names, with the head's suite
 * (headSuite). Rendering goes through src/core/run, whose
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
  const { id } = state.review;
  let prompt: ParsedPrompt;
  let suite: EvalSuite;
  try {
    ({ prompt, suite } = headSuite(state));
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
  let modelTimeoutMs: number;
  try {
    const endpoint = endpointFromEnv(modelEnv);
    modelTimeoutMs = endpoint.timeoutMs;
    chat = new OpenAiChatModel(endpoint);
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
  const calls = evaluationCalls(suite, rule.runs);
  const budgetMs = evaluationBudgetMs(calls, modelTimeoutMs);
  const deadline = AbortSignal.timeout(budgetMs);
  try {
    const results = await evaluateSuite(chat, prompt, suite, {
      runs: rule.runs,
      signal: deadline,
      ...(graderModel ? { graderModel } : {}),
    });
    const run = evaluationRun({
      reviewId: id,
      revision: head.number,
      sha256: head.reviewedHash,
      rule,
      results,
      model: `${prompt.model.model ?? ''} at ${chat.description}${graderModel ? `; grader ${graderModel}` : ''}`,
      runBy,
      createdAt: now(),
    });
    return { ok: true, value: run };
  } catch (err) {
    if (deadline.aborted) {
      return {
        ok: false,
        refusal: refusal(
          'upstream_failed',
          'model_error',
          `The evaluation did not finish within ${budgetMs / 1000} s (${calls} model call${calls === 1 ? '' : 's'}, ${MODEL_TIMEOUT_VARIABLE} ${modelTimeoutMs} ms each on the server); nothing was stored.`,
        ),
      };
    }
    // The message is the endpoint module's, with any key taken out.
    if (!(err instanceof ChatModelError)) throw err;
    return {
      ok: false,
      refusal: refusal('upstream_failed', 'model_error', `The evaluation did not finish: ${err.message}`),
    };
  }
}

/**
 * How long a run of the review's head may take on this server (evaluationBudgetMs), so a
 * client waits that long; null when it could not start (content that does not read, no endpoint).
 */
export function headEvaluationBudgetMs(
  state: ReviewState,
  rule: Pick<EvaluationRule, 'runs'>,
  modelEnv: NodeJS.ProcessEnv,
): number | null {
  try {
    const { suite } = headSuite(state);
    return evaluationBudgetMs(evaluationCalls(suite, rule.runs), endpointFromEnv(modelEnv).timeoutMs);
  } catch {
    // Content that does not read as a prompt (the access file, a broken head) or no endpoint:
    // no run could start, and showing the review must not fail over it (as caseInputs).
    return null;
  }
}
