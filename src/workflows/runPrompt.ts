import { hasErrors, LocatedError, type Diagnostic } from '../core/diagnostics';
import { parsePromptFile, type ParsedPrompt } from '../core/prompts';
import { chatParameters } from '../core/run/chatParameters';
import { renderPrompt, type PromptValues } from '../core/run/renderPrompt';
import { valuesStartingMessages } from '../core/run/valuesStartingMessages';
import type { ChatModel, ChatRequest } from './chatModel';

export interface PreparedRun {
  prompt: ParsedPrompt;
  request: ChatRequest;
  /** Values Prompty will read as the start of a message of their own (valuesStartingMessages). */
  warnings: Diagnostic[];
}

/** A prompt file that reads cleanly, or a LocatedError with its errors. */
export function readRunnablePrompt(path: string, text: string): ParsedPrompt {
  const { prompt, diagnostics } = parsePromptFile(path, text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!prompt || hasErrors(errors)) throw new LocatedError(errors);
  return prompt;
}

/**
 * Everything between the access check and the model call, shared by `promptops run` and
 * "Run Prompt": fill the variables, take the prompt's model (unless `model` overrides) and
 * parameters. Throws a LocatedError naming each missing variable, or a missing model.
 */
export function prepareRun(prompt: ParsedPrompt, values: PromptValues, model?: string): PreparedRun {
  const path = prompt.path;
  const messages = renderPrompt(prompt, values);
  const chosen = model ?? prompt.model.model;
  if (!chosen) {
    throw new LocatedError([
      {
        file: path,
        line: 1,
        column: 1,
        field: 'model',
        message: 'the prompt names no model: add one to the file, or choose one to run it with',
        severity: 'error',
      },
    ]);
  }
  return {
    prompt,
    request: { model: chosen, messages, parameters: chatParameters(prompt.model.parameters) },
    warnings: valuesStartingMessages(prompt, values),
  };
}

/** Sends a prepared run and hands each piece of the answer to `onText` as it arrives; returns the whole answer. */
export async function streamRun(
  chat: ChatModel,
  request: ChatRequest,
  onText: (text: string) => void,
  signal?: AbortSignal,
): Promise<string> {
  let answer = '';
  for await (const text of chat.stream(request, signal)) {
    answer += text;
    onText(text);
  }
  return answer;
}
