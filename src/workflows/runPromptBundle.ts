/**
 * What "Run Prompt" loads on first use, bundled on its own as dist/run.js: nunjucks,
 * mustache and the `openai` client would double the extension bundle that every
 * activation compiles (bench/RESULTS.md keeps it under 400 KB).
 */
export { prepareRun, readRunnablePrompt, streamRun } from './runPrompt';
export { endpointFromEnv, MODEL_BASE_URL_VARIABLE, OpenAiChatModel } from './openAiEndpoint';
export { promptInputs } from '../core/run/promptInputs';
export { compareBehaviour } from './compareBehaviour';
export { evalDatasetPath } from '../core/eval/evalDatasetPath';
