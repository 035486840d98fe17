import type { Diagnostic } from '../diagnostics';
import type { MetadataSource } from './metadataSource';
import type { PromptLayout } from './promptLayout';
import type { PromptModel } from './promptModel';

/** A file read as one format: its pieces, its model, and the metadata YAML that edits need. */
export interface ParsedParts {
  layout: PromptLayout;
  model: PromptModel;
  /** The parsed metadata YAML; absent when the file has none. */
  metadata?: MetadataSource;
}

export interface FormatParseResult {
  /** Absent when the file could not be read as the format at all. */
  parts?: ParsedParts;
  diagnostics: Diagnostic[];
}

/** Each format's parser: pure, never throws, locates every problem in the original text. */
export type FormatParser = (path: string, text: string) => FormatParseResult;
