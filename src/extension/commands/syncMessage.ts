import type { SyncOutcome } from '../../workflows/syncUpstream';

/** What Sync reports, from the workflow's outcome. */
export function syncMessage(outcome: SyncOutcome, remote: string, branch: string): string {
  if (outcome.from === outcome.to) return `${branch} is up to date with ${remote}/${branch}.`;
  const putBack = outcome.plan.verdicts.filter((v) => outcome.plan.reset.includes(v.path));
  const published = putBack.map((v) =>
    v.verdict === 'published-upstream' && v.release ? `${v.path} (review #${v.release.reviewId})` : v.path,
  );
  return (
    `Fast-forwarded ${branch} to ${remote}/${branch} (${outcome.to.slice(0, 8)}).` +
    (published.length
      ? ` Your local copies of ${published.join(', ')} were what it publishes; they are now committed there.`
      : '')
  );
}
