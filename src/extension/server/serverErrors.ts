import { PromptOpsApiError } from '../../client/promptOpsApiError';

/** No answer at all (server down, wrong URL, network): the client's status 0. */
export function isUnreachable(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.status === 0 && err.code === 'network';
}

export function isUnauthorized(err: unknown): boolean {
  return err instanceof PromptOpsApiError && err.status === 401;
}
