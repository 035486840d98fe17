import type { Command } from 'commander';
import { syncWithUpstream } from '../../workflows/syncUpstream';
import { printJson, reportApiErrors } from '../apiErrors';
import { openWorkingRepository, RELEASE_REMOTE, releaseBranchOf } from '../gitContext';

/** `promptops sync`: fast-forward the release branch, putting back local changes that upstream now holds. */
export function register(program: Command): void {
  program
    .command('sync')
    .description(
      `Fetch the release branch from ${RELEASE_REMOTE} and fast-forward to it. A local change whose content upstream now holds ` +
        '(e.g. your own prompt, published by someone else) is put back to HEAD first so the fast-forward can run; ' +
        'a local change that differs is never discarded: sync stops (exit 1), names the files and changes nothing.',
    )
    .option('--json', 'print JSON for machines')
    .action((flags: { json?: boolean }) =>
      reportApiErrors(async () => {
        const { repo } = await openWorkingRepository('sync');
        const branch = await releaseBranchOf(repo);
        const outcome = await syncWithUpstream(repo, { remote: RELEASE_REMOTE, branch });
        if (flags.json) return printJson({ remote: RELEASE_REMOTE, branch, ...outcome });
        if (outcome.from === outcome.to) {
          process.stdout.write(`${branch} is up to date with ${RELEASE_REMOTE}/${branch}.\n`);
          return;
        }
        for (const v of outcome.plan.verdicts.filter((x) => outcome.plan.reset.includes(x.path)))
          process.stdout.write(
            `${v.path}: ${v.verdict === 'published-upstream' ? `published upstream (review #${v.release?.reviewId})` : 'the same upstream'}; your copy was put back, the fast-forward brings it in\n`,
          );
        process.stdout.write(
          `Fast-forwarded ${branch} from ${outcome.from.slice(0, 12)} to ${outcome.to.slice(0, 12)} (${RELEASE_REMOTE}/${branch}).\n`,
        );
      }),
    );
}
