/** What the Prompts view shows about a prompt beyond my permission. */
export interface PromptState {
  /** Changed in the working tree against HEAD (staged or not). */
  modified: boolean;
  /** A release lock entry exists for this path and env. */
  published: boolean;
  /** Published, but the file's bytes no longer hash to the released sha256. */
  publishedButChanged: boolean;
  /**
   * The local change is exactly what the remote release branch (as last fetched) publishes:
   * someone published it upstream, and Sync puts it back and fast-forwards.
   */
  publishedUpstream: boolean;
}

export const NO_STATE: PromptState = Object.freeze({
  modified: false,
  published: false,
  publishedButChanged: false,
  publishedUpstream: false,
});
