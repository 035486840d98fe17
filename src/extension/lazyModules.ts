import { join } from 'node:path';
import { requireWithCodeCache } from './codeCache';
import { WorkerGitStarter } from './model/workerGitStarter';
import { nextTurn } from './nextTurn';
import type * as LazyBundleModule from './lazyBundle';
import type * as RunPromptBundleModule from './run/runBundle';

type LazyBundle = typeof LazyBundleModule;
type RunPromptBundle = typeof RunPromptBundleModule;

/**
 * The heavy parts (prompt parsers and YAML, the access-file schema validator, the git adapter,
 * the release lock, the workflows): a bundle of their own (dist/lazy.js, beside this one,
 * src/extension/lazyBundle.ts), required on first use, so activation compiles only
 * registrations (bench/RESULTS.md, bench:activation). Nothing here may hold state the
 * activation bundle also holds: such a module would exist twice, once in each bundle.
 */
const lazyBundle = async (): Promise<LazyBundle> => {
  if (loadedLazyBundle) return loadedLazyBundle;
  // Compiled in a task of its own, not at the end of whatever asked first (the index's first walk).
  await nextTurn();
  if (loadedLazyBundle) return loadedLazyBundle;
  const bundle = requireWithCodeCache(join(__dirname, 'lazy.js'), codeCacheDir) as LazyBundle;
  // Each git process forks the extension host: started from a worker, the fork does not block its thread.
  bundle.git.startGitProcessesWith(new WorkerGitStarter(bundle.git.startGitHere).start);
  loadedLazyBundle = bundle;
  // And what asked for it continues in a task of its own too (the index's first reads start a worker).
  await nextTurn();
  return bundle;
};

let loadedLazyBundle: LazyBundle | undefined;
let codeCacheDir: string | undefined;

/** Where dist/lazy.js's compiled code is kept between starts (the extension's global storage; src/extension/codeCache.ts). */
export function keepCompiledCodeIn(dir: string | undefined): void {
  codeCacheDir = dir;
}

export const loadPromptIndex = () => lazyBundle().then((b) => b.promptIndex);
export const loadReleaseLock = () => lazyBundle().then((b) => b.releaseLock);
export const loadGit = () => lazyBundle().then((b) => b.git);
export const loadReviewComparisons = () => lazyBundle().then((b) => b.reviewComparisons);
export const loadRequestReview = () => lazyBundle().then((b) => b.requestReview);
export const loadPublishReview = () => lazyBundle().then((b) => b.publishReview);
export const loadCheckoutReview = () => lazyBundle().then((b) => b.checkoutReview);
export const loadPushPublish = () => lazyBundle().then((b) => b.pushPublish);
export const loadSyncUpstream = () => lazyBundle().then((b) => b.syncUpstream);
export const loadPublishDelivery = () => lazyBundle().then((b) => b.publishDelivery);
export const loadApplyPolicy = () => lazyBundle().then((b) => b.applyPolicy);
export const loadReleaseTarget = () => lazyBundle().then((b) => b.releaseTarget);
export const loadDeletedWorkspaceAdvice = () => lazyBundle().then((b) => b.deletedWorkspaceAdvice);
export const loadAccessFileTemplate = () => lazyBundle().then((b) => b.accessFileTemplate);
/**
 * Rendering (nunjucks, mustache), the `openai` client and the Run and Evaluate commands: a
 * bundle of their own (dist/run.js, beside this one), required only when a prompt is run.
 */
export const loadRunPrompt = (): Promise<RunPromptBundle> =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  Promise.resolve(require(join(__dirname, 'run.js')) as RunPromptBundle);
