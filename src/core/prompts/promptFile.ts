import { fieldPath, LocatedError, type Diagnostic } from '../diagnostics';
import type { ParsedParts } from './formatParse';
import { FORMAT_PARSERS } from './formatParsers';
import { firstLineBreak } from './lineBreaks';
import { editMetadataYaml, renderValue, type MetadataValue } from './metadataEdit';
import { serializeLayout, type PromptLayout } from './promptLayout';
import type { ParsedPrompt, PromptFormat, PromptModel } from './promptModel';

/** A parsed prompt file that can be edited one metadata field at a time. */
export class PromptFile implements ParsedPrompt {
  constructor(
    readonly path: string,
    readonly format: PromptFormat,
    private parts: ParsedParts,
  ) {}

  get model(): PromptModel {
    return this.parts.model;
  }

  /** The pieces the file was cut into; joining them gives `serialize()`. */
  get layout(): PromptLayout {
    return this.parts.layout;
  }

  locateMetadata(key: string): { line: number; column: number } | undefined {
    const metadata = this.parts.metadata;
    if (!metadata || !Object.hasOwn(metadata.data, key)) return undefined;
    return metadata.yaml.locate([key]);
  }

  serialize(): string {
    return serializeLayout(this.parts.layout);
  }

  /**
   * Edits the file text, then re-reads it so `model` matches the text. Throws a
   * LocatedError, leaving the file unchanged, when the metadata cannot be edited safely
   * or the edit would not read back as the requested value.
   */
  setMetadata(key: string, value: MetadataValue): void {
    if (key === '') throw this.editError(key, 'a metadata field needs a name');
    const text = serializeLayout(this.editedLayout(key, value));
    const reparsed = FORMAT_PARSERS[this.format](this.path, text);
    if (!reparsed.parts || !readsBackAs(reparsed.parts, key, value)) {
      throw this.editError(
        key,
        `setting \`${key}\` would not read back as ${value === undefined ? 'removed' : renderValue(value)}`,
      );
    }
    this.parts = reparsed.parts;
  }

  private editedLayout(key: string, value: MetadataValue): PromptLayout {
    const { layout, metadata } = this.parts;
    if (layout.metadata && metadata) {
      const lineBreak =
        firstLineBreak(layout.metadata.open) ??
        firstLineBreak(layout.metadata.yaml) ??
        firstLineBreak(layout.body) ??
        '\n';
      const yaml = editMetadataYaml(layout.metadata.yaml, metadata.yaml, key, value, lineBreak);
      return { ...layout, metadata: { ...layout.metadata, yaml } };
    }
    if (value === undefined) return layout;
    // A file without front matter gets one, written with the line break the file already uses.
    const lineBreak = firstLineBreak(layout.body) ?? '\n';
    const yaml = editMetadataYaml('', undefined, key, value, lineBreak);
    return { ...layout, metadata: { open: `---${lineBreak}`, yaml, close: `---${lineBreak}` } };
  }

  private editError(key: string, message: string): LocatedError {
    const diagnostic: Diagnostic = {
      file: this.path,
      line: 1,
      column: 1,
      field: fieldPath([key]),
      message,
      severity: 'error',
    };
    return new LocatedError([diagnostic]);
  }
}

/** The safety net behind text edits: the edited file must parse cleanly to exactly what was asked. */
function readsBackAs(parts: ParsedParts, key: string, value: MetadataValue): boolean {
  const metadata = parts.metadata;
  if (!metadata) return value === undefined;
  if (metadata.yaml.diagnostics.some((d) => d.severity === 'error')) return false;
  if (value === undefined) return !Object.hasOwn(metadata.data, key);
  const actual = metadata.data[key];
  return actual === value || (typeof value === 'number' && Number.isNaN(value) && Number.isNaN(actual));
}
