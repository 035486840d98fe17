/** The remote PromptOps pushes to, syncs from and fetches a review's base commit from. */
export const RELEASE_REMOTE = 'origin';
