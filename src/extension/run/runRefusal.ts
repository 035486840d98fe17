import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * Why I may not run or evaluate this file (`prompt.run`), or undefined when I may: one
 * decision for Run Prompt, Evaluate Prompt and their CodeLens.
 */
export function runRefusal(model: Pick<PromptOpsModel, 'decide'>, path: string | undefined): string | undefined {
  if (!path) return 'open a prompt file of this repository to run it.';
  const decision = model.decide('prompt.run', path);
  if (!decision) return 'sign in to run prompts.';
  return decision.allowed ? undefined : `${decision.reason} (${decision.rule})`;
}
