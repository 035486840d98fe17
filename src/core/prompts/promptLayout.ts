/**
 * A prompt file cut into the pieces PromptOps reads and edits. Joining the pieces gives
 * the file back byte for byte, which is how an unchanged file round-trips.
 */
export interface MetadataBlock {
  /** The opening `---` line with its line break ('' for a whole-file YAML document). */
  open: string;
  /** The YAML text between the delimiters, ending in a line break unless empty. */
  yaml: string;
  /** The closing `---` line with its line break, if any ('' for a whole-file YAML document). */
  close: string;
}

export interface PromptLayout {
  /** A leading BOM and, for a fenced file, the opening ```` ```prompt ```` line. */
  prefix: string;
  /** The metadata YAML; absent when the file has no front matter. */
  metadata?: MetadataBlock;
  /** Everything after the metadata, up to a closing fence. */
  body: string;
  /** The closing fence of a fenced file, with anything after it. */
  suffix: string;
}

export function serializeLayout(layout: PromptLayout): string {
  const m = layout.metadata;
  const metadataText = m ? m.open + m.yaml + m.close : '';
  return layout.prefix + metadataText + layout.body + layout.suffix;
}

/** Offset of the metadata YAML in the file. */
export function metadataOffset(layout: PromptLayout): number {
  return layout.prefix.length + (layout.metadata?.open.length ?? 0);
}

/** Offset of the body in the file. */
export function bodyOffset(layout: PromptLayout): number {
  const m = layout.metadata;
  return layout.prefix.length + (m ? m.open.length + m.yaml.length + m.close.length : 0);
}
