import type { Diagnostic } from '../diagnostics';

/** The prompt file formats PromptOps reads; each parses into the same PromptModel. */
export type PromptFormat = 'humanloop' | 'github-models' | 'prompty' | 'vscode-prompt-md';

export type MessageRole = 'system' | 'user' | 'assistant' | 'developer' | 'tool';

export interface PromptMessage {
  role: MessageRole;
  /** The message text as written (template syntax untouched). */
  content: string;
  /** 1-based line in the file where this message's content (or its role marker) starts. */
  line: number;
}

/** One model for every format. */
export interface PromptModel {
  /** From the file's own name field, else the file name without its prompt extension. */
  name: string;
  description?: string;
  /** Model id as written (`gpt-4o`, `openai/gpt-4o`, Prompty's `model.id`/`model.configuration.azure_deployment`, …). */
  model?: string;
  /** Model parameters (temperature, max_tokens, …) as written. */
  parameters: Record<string, unknown>;
  messages: PromptMessage[];
  /** Template variables the messages use, sorted, without duplicates. */
  variables: string[];
  /** PromptOps fields any format may carry in its metadata. */
  workspace?: string;
  env?: string;
  /** The whole metadata (front matter or YAML document) as plain data, unknown fields included. */
  metadata: Record<string, unknown>;
}

export interface ParsedPrompt {
  path: string;
  format: PromptFormat;
  model: PromptModel;
  /** The file's text as it is now; equal to the input byte for byte until an edit is made. */
  serialize(): string;
  /** Set or remove (`undefined`) a top-level metadata field, touching nothing else in the file. */
  setMetadata(key: string, value: string | number | boolean | undefined): void;
  /** Where a top-level metadata field's value stands in the file (1-based), if the field is present. */
  locateMetadata(key: string): { line: number; column: number } | undefined;
}

export interface PromptParseResult {
  /** Present unless the file could not be read as its format at all. */
  prompt?: ParsedPrompt;
  diagnostics: Diagnostic[];
}
