import type { Diagnostic } from '../diagnostics';
import { TextPositions } from '../textPositions';
import { splitFrontMatter } from './frontMatter';
import { readMetadata, type MetadataSource } from './metadataSource';
import { bodyOffset, metadataOffset, type PromptLayout } from './promptLayout';

/** A front-matter-and-body file (Humanloop, Prompty, VS Code) before its body is read. */
export interface FrontMatterPrompt {
  layout: PromptLayout;
  positions: TextPositions;
  metadata?: MetadataSource;
  /** Offset of the body in the file. */
  bodyOffset: number;
}

/**
 * Splits off and parses the front matter. Returns undefined, with a located error, when
 * the front matter is never closed: guessing where it ends would misread the whole file.
 */
export function readFrontMatterPrompt(
  path: string,
  text: string,
  diagnostics: Diagnostic[],
): FrontMatterPrompt | undefined {
  const positions = new TextPositions(text);
  const split = splitFrontMatter(text);
  if (split.unclosedAt !== undefined) {
    const at = positions.at(split.unclosedAt);
    diagnostics.push({
      file: path,
      line: at.line,
      column: at.column,
      field: '',
      message: 'the front matter opened by this `---` line is never closed by another `---` line',
      severity: 'error',
    });
    return undefined;
  }
  const { layout } = split;
  const metadata = layout.metadata
    ? readMetadata(path, layout.metadata.yaml, positions, metadataOffset(layout), diagnostics)
    : undefined;
  return { layout, positions, metadata, bodyOffset: bodyOffset(layout) };
}
