import type { PromptResource } from './decision';

/** A prompt's own placement fields as they are kept: a file's model, a review's columns, a release. */
export interface OwnPlacement {
  workspace?: string | null;
  env?: string | null;
}

/**
 * The resource a decision about the prompt at `path` is made on: its own `workspace` and
 * `env` fields (absent or null: placed by path and the default env), and the author of
 * the change when approving it. Every front end builds it here, so a prompt is placed
 * the same way wherever it is decided.
 */
export function promptResource(path: string, own: OwnPlacement = {}, author?: string): PromptResource {
  return {
    kind: 'prompt',
    path,
    ...(own.workspace != null ? { workspace: own.workspace } : {}),
    ...(own.env != null ? { env: own.env } : {}),
    ...(author !== undefined ? { author } : {}),
  };
}
