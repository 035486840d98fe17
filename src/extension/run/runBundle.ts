/**
 * dist/run.js, required on the first Run or Evaluate: the workflows' rendering (nunjucks,
 * mustache), the `openai` client and the commands that use them. Kept out of
 * dist/extension.js, which every activation compiles (bench/RESULTS.md keeps it under 400 KB).
 */
export * from '../../workflows/runPromptBundle';
export { runPromptCommand } from '../commands/runPromptCommand';
export { evaluatePromptCommand } from '../commands/evaluatePromptCommand';
export { compareReviewBehaviour } from '../panels/reviewBehaviour';
