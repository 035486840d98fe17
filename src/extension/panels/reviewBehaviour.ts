import * as vscode from 'vscode';
import type { ReviewDto } from '../../shared/api/reviews';
import type { BehaviourComparison } from '../../workflows/compareBehaviour';
import { chooseChatModel } from '../run/chooseChatModel';
import * as run from '../../workflows/runPromptBundle';
import type { PromptOpsModel } from '../model/promptOpsModel';

/**
 * "Compare behaviour" in the review panel: the published and the proposed version of the
 * prompt run on the same test inputs with the model Run Prompt would use, in the run bundle
 * (dist/run.js: this module is part of it). The `.tests.yaml` beside the prompt in this
 * folder adds cases. Undefined when the user dismissed the model choice.
 */
export async function compareReviewBehaviour(
  model: PromptOpsModel,
  secrets: vscode.SecretStorage,
  review: ReviewDto,
  wantedModel?: string,
): Promise<BehaviourComparison | undefined> {
  const chosen = await chooseChatModel(wantedModel, secrets, 'Compare behaviour with which model?');
  if (!chosen) return undefined;
  const datasetPath = run.evalDatasetPath(review.path);
  const dataset = await readText(model.uriOf(datasetPath));
  return run.compareBehaviour(
    chosen.model,
    {
      published: review.baseContent === null ? null : { path: review.path, text: review.baseContent },
      proposed: { path: review.path, text: review.headContent },
    },
    {
      ...(dataset === undefined ? {} : { dataset: { path: datasetPath, text: dataset } }),
      ...(chosen.fixedModel ? { model: chosen.fixedModel } : {}),
    },
  );
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined; // no dataset beside the prompt
  }
}
