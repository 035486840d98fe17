import type { Command } from 'commander';
import { settleAwaitingMerges, type SettledMerges } from '../../workflows/publishDelivery';
import { syncWithUpstream } from '../../workflows/syncUpstream';
import type { GitRepository } from '../../git/gitRepository';
import { connect, NotSignedInError } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';
import { openWorkingRepository, RELEASE_REMOTE, releaseBranchOf } from '../gitContext';

/** `promptops sync`: fast-forward the release branch, putting back local changes that upstream now holds. */
export function register(program: Command): void {
  program
    .command('sync')
    .description(
      `Fetch the release branch from ${RELEASE_REMOTE} and fast-forward to it. A local change whose content upstream now holds ` +
        '(e.g. your own prompt, published by someone else) is put back to HEAD first so the fast-forward can run; ' +
        'a local change that differs is never discarded: sync stops (exit 1), names the files and changes nothing. ' +
        'Then published reviews waiting for a merge into the release branch whose commit is now on it are reported to the server ' +
        '(by someone who may publish them; for others they keep waiting).',
    )
    .option('--server <url>', 'the server (default: see `promptops login --help`)')
    .option('--json', 'print JSON for machines')
    .action((flags: { json?: boolean; server?: string }) =>
      reportApiErrors(async () => {
        const { repo } = await openWorkingRepository('sync');
        const branch = await releaseBranchOf(repo);
        const outcome = await syncWithUpstream(repo, { remote: RELEASE_REMOTE, branch });
        const merges = await settleMerges(flags.server, repo, branch, outcome.to);
        if (flags.json) return printJson({ remote: RELEASE_REMOTE, branch, ...outcome, merges });
        if (outcome.from === outcome.to) {
          process.stdout.write(
            `${branch} is up to date with ${RELEASE_REMOTE}/${branch}.\n${mergeLines(merges, branch)}`,
          );
          return;
        }
        for (const v of outcome.plan.verdicts.filter((x) => outcome.plan.reset.includes(x.path)))
          process.stdout.write(
            `${v.path}: ${v.verdict === 'published-upstream' ? `published upstream (review #${v.release?.reviewId})` : 'the same upstream'}; your copy was put back, the fast-forward brings it in\n`,
          );
        process.stdout.write(
          `Fast-forwarded ${branch} from ${outcome.from.slice(0, 12)} to ${outcome.to.slice(0, 12)} (${RELEASE_REMOTE}/${branch}).\n` +
            mergeLines(merges, branch),
        );
      }),
    );
}

function mergeLines(merges: SettledMerges, branch: string): string {
  return [
    ...merges.settled.map((id) => `Review #${id}: merged into ${branch}; the server no longer shows it waiting.\n`),
    ...merges.leftForPublisher.map(
      (m) =>
        `Review #${m.id}: merged into ${branch}, but it stays "waiting for merge" until someone who may publish it syncs (${m.reason})\n`,
    ),
    ...merges.waiting.map((m) => `Review #${m.id}: published, waiting for ${m.branch} to be merged into ${branch}.\n`),
  ].join('');
}

/** The server part of sync; the git part has happened, so a server that cannot be asked only gets a note. */
async function settleMerges(server: string | undefined, repo: GitRepository, branch: string, tip: string) {
  const none: SettledMerges = { settled: [], leftForPublisher: [], waiting: [] };
  try {
    return await settleAwaitingMerges(connect(server), repo, branch, tip);
  } catch (err) {
    if (!(err instanceof NotSignedInError))
      process.stderr.write(`promptops sync: could not check reviews waiting for a merge: ${(err as Error).message}\n`);
    return none;
  }
}
