/**
 * What the extension loads on first use, bundled on its own as dist/lazy.js: the prompt
 * index and parsers (with `yaml` and the access-file validator), the git adapter, the
 * release lock and the review workflows. Activation compiles only dist/extension.js
 * (registrations and light code; bench/RESULTS.md keeps it under 400 KB).
 */
export * as promptIndex from '../core/index/promptIndex';
export * as releaseLock from '../core/release/releaseLock';
export * as git from '../git';
export * as reviewComparisons from '../workflows/reviewComparisons';
export * as publishReview from '../workflows/publishReview';
export * as requestReview from '../workflows/requestReview';
export * as checkoutReview from '../workflows/checkoutReview';
export * as pushPublish from '../workflows/pushPublish';
export * as syncUpstream from '../workflows/syncUpstream';
export * as publishDelivery from '../workflows/publishDelivery';
export * as applyPolicy from '../workflows/applyPolicy';
export * as releaseTarget from '../workflows/releaseTarget';
export * as deletedWorkspaceAdvice from '../core/access/deletedWorkspaceAdvice';
export * as accessFileTemplate from '../core/access/accessFileTemplate';
