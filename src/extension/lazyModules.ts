import { join } from 'node:path';
import type * as RunPromptBundleModule from './run/runBundle';

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
export const loadPublishDelivery = () => import('../workflows/publishDelivery');
export const loadApplyPolicy = () => import('../workflows/applyPolicy');
/**
 * Rendering (nunjucks, mustache), the `openai` client and the Run and Evaluate commands: a
 * bundle of their own (dist/run.js, beside this one), required only when a prompt is run.
 */
export const loadRunPrompt = (): Promise<RunPromptBundle> =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Promise.resolve(require(join(__dirname, 'run.js')) as RunPromptBundle);

type RunPromptBundle = typeof RunPromptBundleModule;
