/**
 * The modules whose classes are checked with `instanceof` on both sides of a lazy bundle
 * (dist/lazy.js, dist/run.js: a refusal thrown by a workflow, an API error thrown by the
 * client the extension hands in). Those bundles do not compile their own copy: they take
 * these from dist/extension.js at run time (esbuild.mjs, `SHARED_MODULES`, the same names),
 * so each class, and any state beside it, exists once.
 */
export * as workingTree from '../workflows/workingTree';
export * as promptOpsApiError from '../client/promptOpsApiError';
export * as chatModel from '../workflows/chatModel';
