/** Request and response shapes of the PromptOps server API, shared with its clients. */
export type * from './errors';
export type * from './users';
export type * from './auth';
export type * from './workspaces';
export type * from './health';
export type * from './policy';
export type * from './keys';
export type * from './reviews';
export type * from './releases';
export type * from './directory';
export type * from './audit';
export type * from './signingKeys';
export type * from './apiKeys';
export type * from './invites';
export type * from './accessReview';
