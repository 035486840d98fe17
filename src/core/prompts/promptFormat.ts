import type { PromptFormat } from './promptModel';

/** Extensions longest first, so `.prompt.md` wins over `.md` and `.prompt.yml` over `.prompt`. */
const EXTENSIONS: readonly (readonly [string, PromptFormat])[] = [
  ['.prompt.yaml', 'github-models'],
  ['.prompt.yml', 'github-models'],
  ['.prompt.md', 'vscode-prompt-md'],
  ['.prompty', 'prompty'],
  ['.prompt', 'humanloop'],
];

/** Every file name ending that makes a prompt file, longest first. */
export const PROMPT_EXTENSIONS: readonly string[] = EXTENSIONS.map(([extension]) => extension);

/** The prompt format a file name implies, or undefined when it is not a prompt file. */
export function formatForPath(path: string): PromptFormat | undefined {
  const name = baseName(path).toLowerCase();
  for (const [extension, format] of EXTENSIONS) {
    if (name.length > extension.length && name.endsWith(extension)) return format;
  }
  return undefined;
}

/** The name a prompt has when it does not name itself: its file name without the prompt extension. */
export function promptNameFromPath(path: string): string {
  const name = baseName(path);
  const lower = name.toLowerCase();
  for (const [extension] of EXTENSIONS) {
    if (lower.length > extension.length && lower.endsWith(extension))
      return name.slice(0, name.length - extension.length);
  }
  // A file parsed with an explicit format but another extension (`sample_prompt.yml`).
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
