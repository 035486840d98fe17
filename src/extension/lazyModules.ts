/**
 * The heavy parts (prompt parsers and YAML, the access-file schema validator, the git adapter,
 * the release lock), loaded on first use. Still one bundle: esbuild turns each `import()`
 * into a module initialised lazily, so activation pays only for registrations
 * (bench/RESULTS.md, bench:activation).
 */
export const loadPromptIndex = () => import('../core/index/promptIndex');
export const loadReleaseLock = () => import('../core/release/releaseLock');
export const loadGit = () => import('../git');
export const loadReviewComparisons = () => import('../workflows/reviewComparisons');
export const loadPublishReview = () => import('../workflows/publishReview');
export const loadCheckoutReview = () => import('../workflows/checkoutReview');
export const loadPushPublish = () => import('../workflows/pushPublish');
export const loadSyncUpstream = () => import('../workflows/syncUpstream');
export const loadApplyPolicy = () => import('../workflows/applyPolicy');
/** Rendering (nunjucks, mustache) and the `openai` client: only when a prompt is run. */
export const loadRunPrompt = async () => ({
  ...(await import('../workflows/runPrompt')),
  ...(await import('../workflows/openAiEndpoint')),
  ...(await import('../core/run/promptInputs')),
});
