import type { MessageRole } from '../prompts/promptModel';

/** One message as a chat-completions endpoint takes it: the prompt's text with its variables filled in. */
export interface ChatMessage {
  role: MessageRole;
  content: string;
}
