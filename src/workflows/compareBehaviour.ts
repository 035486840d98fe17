import { caseInput } from '../core/eval/headEvaluation';
import type { ChatModel } from './chatModel';
import { prepareEval } from './evaluatePrompt';
import { prepareRun, readRunnablePrompt, streamRun } from './runPrompt';

/** One side of a case: the answer, or why this version could not be run on the case's values. */
export type BehaviourOutput = { output: string } | { error: string };

/** One test case run on both versions. */
export interface BehaviourCase {
  name: string;
  /** The case's values as JSON. */
  input: string;
  /** Null when nothing is published yet. */
  published: BehaviourOutput | null;
  proposed: BehaviourOutput;
}

export interface BehaviourComparison {
  /** Where the answers came from (the endpoint's redacted description, or the VS Code chat model). */
  model: string;
  cases: BehaviourCase[];
}

/** A version of the prompt: its path and text. */
export interface PromptVersion {
  path: string;
  text: string;
}

/**
 * The behavioural diff of a review: the published and the proposed version run on the same
 * test inputs (the proposed version's `testData` plus the `.tests.yaml` beside it), one
 * request at a time. A version that cannot render a case shows why in its cell; an endpoint
 * that fails stops the comparison with its (key-free) message, so nothing waits on it.
 */
export async function compareBehaviour(
  chat: ChatModel,
  versions: { published: PromptVersion | null; proposed: PromptVersion },
  options: { dataset?: PromptVersion; model?: string; signal?: AbortSignal } = {},
): Promise<BehaviourComparison> {
  const proposed = readRunnablePrompt(versions.proposed.path, versions.proposed.text);
  const suite = prepareEval(proposed, options.dataset, options.model);
  let published: ReturnType<typeof readRunnablePrompt> | string | null = null;
  if (versions.published) {
    try {
      published = readRunnablePrompt(versions.published.path, versions.published.text);
    } catch (err) {
      published = `the published version does not read: ${(err as Error).message}`;
    }
  }
  const answer = async (prompt: typeof proposed, values: Record<string, unknown>): Promise<BehaviourOutput> => {
    let request;
    try {
      request = prepareRun(prompt, values, options.model).request;
    } catch (err) {
      return { error: (err as Error).message };
    }
    return { output: await streamRun(chat, request, () => undefined, options.signal) };
  };
  const cases: BehaviourCase[] = [];
  for (const c of suite.cases) {
    cases.push({
      name: c.name,
      input: caseInput(c.values),
      published:
        published === null
          ? null
          : typeof published === 'string'
            ? { error: published }
            : await answer(published, c.values),
      proposed: await answer(proposed, c.values),
    });
  }
  return { model: chat.description, cases };
}
