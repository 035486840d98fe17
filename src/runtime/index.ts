/**
 * `import { loadPublished } from 'promptops'`: load only published, verified prompt
 * versions at run time.
 */
export { loadPublished, type LoadPublishedOptions, type PublishedPrompt } from './loadPublished';
export { PublishedPromptError, type PublishedPromptErrorCode } from './publishedPromptError';
export type { SignedRelease, ReleaseRecord } from '../core/release/releaseRecord';
export type { PromptModel, PromptMessage } from '../core/prompts/promptModel';
