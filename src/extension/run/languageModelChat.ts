import * as vscode from 'vscode';
import type { ChatModel, ChatRequest } from '../../workflows/chatModel';
import { ChatModelError } from '../../workflows/chatModel';

/**
 * A chat model VS Code offers through its Language Model API (`vscode.lm`). That API has
 * user and assistant messages only, so system and developer text is sent as user text,
 * first, as VS Code's own chat does. The prompt's model id is not used: the user picked this model.
 */
export class LanguageModelChat implements ChatModel {
  readonly description: string;

  constructor(private readonly model: vscode.LanguageModelChat) {
    this.description = `${model.name} (${model.vendor}, VS Code)`;
  }

  async *stream(request: ChatRequest, signal?: AbortSignal): AsyncIterable<string> {
    const messages = request.messages.map((m) =>
      m.role === 'assistant'
        ? vscode.LanguageModelChatMessage.Assistant(m.content)
        : vscode.LanguageModelChatMessage.User(m.content),
    );
    const cancel = new vscode.CancellationTokenSource();
    signal?.addEventListener('abort', () => cancel.cancel(), { once: true });
    try {
      const response = await this.model.sendRequest(
        messages,
        {
          justification: 'PromptOps runs the prompt you chose with the model you picked.',
          modelOptions: { ...request.parameters },
        },
        cancel.token,
      );
      for await (const text of response.text) yield text;
    } catch (e) {
      if (e instanceof vscode.LanguageModelError)
        throw new ChatModelError(`${this.description}: ${e.message} (${e.code})`);
      throw e;
    } finally {
      cancel.dispose();
    }
  }
}
