/**
 * What "Run Prompt" loads on first use, bundled on its own as dist/run.js: nunjucks,
 * mustache and the `openai` client would double the extension bundle that every
 * activation compiles (bench/RESULTS.md keeps it under 400 KB).
 */
export { prepareRun, readRunnablePrompt, streamRun } from './runPrompt';
export { endpointFromEnv, MODEL_API_KEY_VARIABLE, MODEL_BASE_URL_VARIABLE, OpenAiChatModel } from './openAiEndpoint';
export { promptInputs } from '../core/run/promptInputs';
// "Evaluate Prompt": the same suite, runs and report as `promptops eval`.
export { evaluateSuite, GRADER_MODEL_VARIABLE, prepareEval } from './evaluatePrompt';
export { caseRows, summaryLines } from '../core/eval/evalReportText';
export { evalDatasetPath } from '../core/eval/evalDatasetPath';
export { summarize } from '../core/eval/passRate';
export { parseRunCount } from '../core/eval/runCount';
// The review panel's Compare behaviour: published and proposed on the same cases.
export { compareBehaviour } from './compareBehaviour';
