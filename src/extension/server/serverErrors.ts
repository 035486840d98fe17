import { PromptOpsApiError } from '../../client/promptOpsApiError';

/** No answer at all (server down, wrong URL, network): the client's status 0. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.status === 0 && err.code === 'network';
}

export function isUnauthorized(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.status === 401;
}

/** The review moved on (a new revision) since the head a verdict names: 409 `stale_head`. */
export function isStaleHead(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.status === 409 && err.code === 'stale_head';
}
