import type { ReviewState } from '../store/reviewRecords';
import { refusal, type Refusal } from './refusal';

/** How many server evaluation runs one revision of a review may have; set in the server's environment. */
export const MAX_RUNS_VARIABLE = 'PROMPTOPS_EVAL_MAX_RUNS_PER_REVISION';
export const DEFAULT_MAX_RUNS_PER_REVISION = 5;

/**
 * Refused (429) when the head revision already has as many runs as the server allows,
 * counting stored runs and runs under way (live evaluation slots, `now` deciding which
 * are live; `ownSlot`, the caller's own, is left out): every run spends model calls on
 * the server's key, and a flaky prompt must not be re-run until one run happens to pass.
 * A new revision starts again from none. An unreadable setting is the server's
 * misconfiguration (503), never "no limit".
 */
export function evaluationCapRefusal(
  state: ReviewState,
  modelEnv: NodeJS.ProcessEnv,
  now: number,
  ownSlot?: string,
): Refusal | undefined {
  const setting = modelEnv[MAX_RUNS_VARIABLE]?.trim();
  const max = setting ? Number(setting) : DEFAULT_MAX_RUNS_PER_REVISION;
  if (!Number.isInteger(max) || max < 1)
    return refusal(
      'unavailable',
      'unavailable',
      `The server cannot run evaluations: ${MAX_RUNS_VARIABLE} must be a whole number of at least 1, not "${setting}" (on the server).`,
    );
  const { id, revision } = state.review;
  const stored = state.evaluations.filter((r) => r.revision === revision).length;
  const running = state.evaluationSlots.filter(
    (s) => s.revision === revision && s.expiresAt > now && s.id !== ownSlot,
  ).length;
  const used = stored + running;
  if (used < max) return undefined;
  return refusal(
    'limited',
    'too_many_requests',
    `Revision ${revision} of review #${id} has been evaluated ${used} time${used === 1 ? '' : 's'}${running ? ` (${running} still running)` : ''}, the most this server allows per revision (${MAX_RUNS_VARIABLE}=${max}); nothing was run. Its runs are in the review; a new revision can be evaluated again.`,
  );
}
