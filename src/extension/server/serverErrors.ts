import { PromptOpsApiError } from '../../client/promptOpsApiError';
import { WorkflowRefusal } from '../../workflows/workingTree';

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

/**
 * A refusal that changed nothing and says what to do: a workflow's own, or the server's (a
 * 4xx but 401: not allowed, a conflict, bad input, too many requests). Shown as a warning;
 * 401 (sign in again), 5xx and an unreachable server are failures.
 */
export function isRefusal(err: unknown): boolean {
  return (
    err instanceof WorkflowRefusal ||
    (err instanceof PromptOpsApiError && err.status >= 400 && err.status < 500 && err.status !== 401)
  );
}
