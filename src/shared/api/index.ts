/** Request and response shapes of the PromptOps server API, shared with its clients. */
export type * from './errors';
export type * from './users';
export type * from './auth';
export type * from './workspaces';
export type * from './health';
