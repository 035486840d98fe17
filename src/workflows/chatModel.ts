import type { ChatMessage } from '../core/run/chatMessage';
import type { ChatParameters } from '../core/run/chatParameters';

/** What is sent to a model: the rendered messages, the model id and the prompt's parameters. */
export interface ChatRequest {
  model: string;
  messages: ChatMessage[];
  parameters: ChatParameters;
}

/** A chat model that answers in pieces as they arrive (an OpenAI-compatible endpoint, or VS Code's `vscode.lm`). */
export interface ChatModel {
  /** Where the answer comes from, for the one-line summary (never a key). */
  readonly description: string;
  stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string>;
}

/** A model could not answer: unreachable, refused (with the HTTP status), or silent for too long. */
export class ChatModelError extends Error {
  override name = 'ChatModelError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
