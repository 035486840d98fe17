import { createInterface } from 'node:readline';
import { Option, type Command } from 'commander';
import type { PromptOpsClient } from '../../client/promptOpsClient';
import type { ReviewDto, ReviewListQuery, ReviewPermissionsDto, ReviewSummaryDto } from '../../shared/api/reviews';
import { reviewStateWords } from '../../core/review/publishedState';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors, UsageError } from '../apiErrors';
import { checkoutReview } from '../../workflows/checkoutReview';
import { requestReview } from '../../workflows/requestReview';
import { runReviewEvaluation } from '../../workflows/runReviewEvaluation';
import { assertPlainPath } from '../../workflows/workingTree';
import { locateRepoFile, openWorkingRepository, RELEASE_REMOTE, reviewSource } from '../gitContext';
import { openGitRepository } from '../../git';
import { reviewComparisons, type ReviewComparisons } from '../../workflows/reviewComparisons';
import { NodeWorkingTree } from '../nodeWorkingTree';
import { promptChangeLines } from '../promptChangeLines';
import { reviewPlacement } from '../../core/review/policyApproval';

interface Common {
  server?: string;
  json?: boolean;
}

const serverOption = () => new Option('--server <url>', 'the server (default: see `promptops login --help`)');
const jsonOption = () => new Option('--json', 'print JSON for machines');

function summaryLine(r: ReviewSummaryDto): string {
  const waiting = r.delivery?.state === 'awaiting-merge' ? `  (${reviewStateWords(r)}, ${r.delivery.branch})` : '';
  return `#${r.id.padEnd(5)} ${r.status.padEnd(9)} ${reviewPlacement(r).padEnd(18)} ${r.path}  by ${r.author}, revision ${r.revision}${waiting}`;
}

/**
 * The review as a person reads it: header, every revision with its note, approval
 * progress, each comparison (the panel's diffs, as lines; the most useful first),
 * verdicts, comments, what you may do.
 */
export function reviewShowLines(r: ReviewDto, compared: ReviewComparisons): string[] {
  const out: string[] = [
    `Review #${r.id} (${reviewStateWords(r)}): ${r.path}  [${reviewPlacement(r)}]`,
    `  by ${r.author}, revision ${r.revision}, head ${r.reviewedHash.slice(0, 12)}${r.headDataset ? ` (prompt ${r.headHash.slice(0, 12)} with its dataset)` : ''}${r.baseHash ? `, published ${r.baseHash.slice(0, 12)}` : ''}${r.gitBranch ? `, branch ${r.gitBranch}` : ''}${r.gitCommit ? `, base commit ${r.gitCommit.slice(0, 7)}` : ''}`,
  ];
  if (r.revisions.length) {
    out.push('Revisions:');
    for (const v of r.revisions)
      out.push(
        `  ${v.number}. by ${v.author} at ${v.createdAt}${v.note ? `: ${v.note}` : ' (no note)'}${v.datasetHash ? ` [dataset ${v.datasetHash.slice(0, 12)}]` : ''}`,
      );
  } else if (r.note) out.push(`  note: ${r.note}`);
  // Reviewers approve the dataset with the prompt: it is what the server's evaluation runs.
  if (r.headDataset) {
    out.push(`Dataset ${r.headDataset.path} (part of the reviewed head; the server's evaluation runs it):`);
    out.push(
      ...r.headDataset.content
        .replace(/\n$/, '')
        .split('\n')
        .map((l) => `  | ${l}`),
    );
  }
  const a = r.approval;
  out.push(
    `Approvals: ${a.counted.length} of ${a.rule.required} from ${a.rule.from.join(' or ') || 'anyone allowed'}${a.met ? ' — rule met' : ''}${a.counted.length ? ` (${a.counted.join(', ')})` : ''}`,
  );
  for (const i of a.ignored) out.push(`  not counted: ${i.reason}`);
  if (a.changesRequestedBy.length) out.push(`  changes requested by ${a.changesRequestedBy.join(', ')}`);
  // The server's newest run of this head, a row per case as the panel has it.
  const run = r.evaluation.latest;
  if (run) {
    out.push(
      `Evaluation run #${run.id} of revision ${run.revision}: ${run.passed ? 'passed' : 'failed'} (${run.passedRuns} of ${run.judgedRuns} runs passed)`,
    );
    for (const c of run.cases) {
      out.push(`  ${c.name}: ${c.runs.map((x) => x.status).join(', ')}${c.input === null ? '' : `  ${c.input}`}`);
      out.push(...(c.warnings ?? []).map((w) => `    ⚠ ${w}`));
    }
  }
  for (const c of compared.comparisons) {
    out.push(`${c.title}:`);
    if (c.notice) out.push(`  (${c.notice})`);
    out.push(...promptChangeLines(c.changes).map((l) => `  ${l}`));
  }
  for (const u of compared.unavailable) out.push(`(${u})`);
  const verdicts = r.verdicts.map(
    (v) =>
      `  ${v.username} ${v.verdict === 'approve' ? 'approved' : 'requested changes'} revision ${v.revision}${v.note ? `: ${v.note}` : ''}${v.dismissed ? ' (dismissed)' : ''}`,
  );
  if (verdicts.length) out.push('Verdicts:', ...verdicts);
  if (r.comments.length)
    out.push('Comments:', ...r.comments.map((c) => `  ${c.username} (revision ${c.revision}): ${c.body}`));
  if (r.release) out.push(`Published by ${r.release.publisher} at ${r.release.publishedAt} (key ${r.release.keyId})`);
  if (r.delivery?.state === 'awaiting-merge')
    out.push(
      `  waiting for ${r.delivery.branch} (${r.delivery.commit.slice(0, 12)}, pushed by ${r.delivery.by}) to be merged into ${r.delivery.target}; ` +
        '`promptops sync` by someone who may publish it clears this once it is merged',
    );
  else if (r.delivery)
    out.push(`  on ${r.delivery.target} (${r.delivery.commit.slice(0, 12)}, reported by ${r.delivery.by})`);
  out.push('You may:');
  for (const action of Object.keys(r.permissions) as (keyof ReviewPermissionsDto)[]) {
    const p = r.permissions[action];
    out.push(`  ${p.allowed ? 'yes' : 'no '}  ${action.padEnd(14)} ${p.reason}`);
  }
  return out;
}

/** The review's comparisons, the base commit looked up in the clone around the current folder (if any). */
async function comparisonsOf(client: PromptOpsClient, r: ReviewDto): Promise<ReviewComparisons> {
  const repo = await openGitRepository(process.cwd()).catch(() => undefined);
  return reviewComparisons(r, { client, repo, remote: RELEASE_REMOTE });
}

function reported(r: ReviewDto, json: boolean | undefined, line: string): void {
  if (json) printJson(r);
  else process.stdout.write(`${line}\n`);
}

/**
 * The head a verdict is about: `--head` (a full sha256, or a prefix of ≥ 12 that names one
 * revision of the review), or on a terminal the head of the change just shown and
 * confirmed — never one fetched silently at the moment of sending. Undefined when the
 * person declined.
 */
async function seenHead(
  client: PromptOpsClient,
  id: string,
  verb: 'approve' | 'request-changes',
  head: string | undefined,
): Promise<string | undefined> {
  if (head !== undefined) {
    const h = head.toLowerCase();
    if (/^[0-9a-f]{64}$/.test(h)) return h;
    if (!/^[0-9a-f]{12,63}$/.test(h))
      throw new UsageError(`--head must be a sha256 or a prefix of at least 12 hex characters, not "${head}".`);
    const matches = [...new Set((await client.getReview(id)).revisions.map((r) => r.reviewedHash))].filter((x) =>
      x.startsWith(h),
    );
    if (matches.length !== 1)
      throw new UsageError(
        matches.length === 0
          ? `No revision of review #${id} has a head starting with ${h}; see \`promptops review show ${id}\`.`
          : `--head ${h} names more than one revision of review #${id}; give more characters.`,
      );
    return matches[0];
  }
  if (!process.stdin.isTTY)
    throw new UsageError(
      `review ${verb} needs --head <sha256> (the head you reviewed, from \`promptops review show ${id}\`) when not run on a terminal.`,
    );
  const shown = await client.getReview(id);
  process.stdout.write(`${reviewShowLines(shown, await comparisonsOf(client, shown)).join('\n')}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await new Promise<string>((resolve) =>
    rl.question(
      `${verb === 'approve' ? 'Approve' : 'Request changes on'} revision ${shown.revision} (head ${shown.reviewedHash.slice(0, 12)})? [y/N] `,
      resolve,
    ),
  );
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    process.stderr.write('Nothing sent.\n');
    return undefined;
  }
  return shown.reviewedHash;
}

/** `promptops review request|list|show|approve|reject|comment|withdraw`: the review workflow from a terminal. */
export function register(program: Command): void {
  const review = program
    .command('review')
    .description('Request, list, show, check out, approve, reject and comment on reviews (exit 1 when refused).');

  review
    .command('request')
    .description(
      'Ask for review of a prompt file as it is on disk (with the committed version as its base, and the git branch and commit). ' +
        'When you already have an open review of the file, this adds a revision to it (earlier approvals stop counting).',
    )
    .argument('<file>', 'the prompt file')
    .option('-m, --message <note>', 'a note for the reviewers')
    .addOption(serverOption())
    .addOption(jsonOption())
    .option('--new', 'a new review even when you have one open for this file (default: add a revision to it)')
    .action((file: string, flags: Common & { message?: string; new?: boolean }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const located = await locateRepoFile(file);
        const tree = new NodeWorkingTree(located.root);
        // A link's target may be outside the repository: never read it as the prompt (requestReview checks again).
        await assertPlainPath(tree, located.path);
        const source = await reviewSource(located);
        const { review: r, revised } = await requestReview(
          client,
          { path: located.path, ...source, ...(flags.message !== undefined ? { note: flags.message } : {}) },
          { tree, author: flags.new ? undefined : (await client.me()).user?.username, forceNew: flags.new === true },
        );
        const needs = `needs ${r.approval.rule.required} approval${r.approval.rule.required === 1 ? '' : 's'} from ${r.approval.rule.from.join(' or ')}`;
        reported(
          r,
          flags.json,
          revised
            ? `Review #${r.id} revised: revision ${r.revision} of ${r.path} (${reviewPlacement(r)}); earlier approvals no longer count, it ${needs}.`
            : `Review #${r.id} requested for ${r.path} (${reviewPlacement(r)}); ${needs}.`,
        );
      }),
    );

  review
    .command('list')
    .description('Open reviews (newest first), or only yours, or only those waiting for your approval.')
    .option('--mine', 'only reviews you asked for')
    .option('--to-approve', 'only reviews you may approve and have not yet')
    .option('--awaiting-merge', 'only published reviews whose commit waits for a merge into the release branch')
    .addOption(
      new Option('--status <status>', 'which reviews')
        .choices(['open', 'withdrawn', 'published', 'all'])
        .default('open'),
    )
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((flags: Common & { mine?: boolean; toApprove?: boolean; awaitingMerge?: boolean; status: string }) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const query: ReviewListQuery = { limit: 200 };
        if (flags.status !== 'all') query.status = flags.status as ReviewListQuery['status'];
        if (flags.awaitingMerge) Object.assign(query, { status: 'published', awaitingMerge: true });
        if (flags.toApprove) query.needsMyApproval = true;
        if (flags.mine) {
          const me = await client.me();
          if (!me.user) throw new Error('review list --mine: the static token is no user; sign in as one');
          query.author = me.user.username;
        }
        const { reviews } = await client.listReviews(query);
        if (flags.json) return printJson(reviews);
        if (reviews.length === 0) process.stderr.write('No reviews.\n');
        for (const r of reviews) process.stdout.write(`${summaryLine(r)}\n`);
      }),
    );

  review
    .command('show')
    .description(
      'One review: approval progress, the field-by-field and message-by-message diff, verdicts, comments, and what you may do.',
    )
    .argument('<id>', 'the review number')
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((id: string, flags: Common) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const r = await client.getReview(id);
        if (flags.json) return printJson(r);
        const compared = await comparisonsOf(client, r);
        process.stdout.write(`${reviewShowLines(r, compared).join('\n')}\n`);
      }),
    );

  review
    .command('checkout')
    .description(
      "Put the review's head content, from the server, into the working tree (checked against its sha256), with the dataset it carries beside it, so you can read, test or publish it in any clone. " +
        "Replaces what an earlier checkout of another revision wrote; refused (exit 1, nothing changed) when the file has local edits that are neither HEAD's nor any revision's. " +
        'A head that carries no dataset leaves one found beside the prompt in place, with a warning.',
    )
    .argument('<id>', 'the review number')
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((id: string, flags: Common) =>
      reportApiErrors(async () => {
        const client = connect(flags.server);
        const { repo, tree } = await openWorkingRepository('review checkout');
        const { review: r, wrote, dataset, strayDataset } = await checkoutReview(id, { client, repo, tree });
        if (strayDataset) process.stderr.write(`warning: ${strayDataset.warning}\n`);
        if (flags.json)
          return printJson({
            id: r.id,
            path: r.path,
            headHash: r.headHash,
            wrote,
            dataset: dataset ?? null,
            strayDataset: strayDataset?.path ?? null,
          });
        process.stdout.write(
          wrote
            ? `Wrote review #${r.id}'s head (revision ${r.revision}, sha256 ${r.headHash.slice(0, 12)}…) to ${r.path}.\n`
            : `${r.path} already holds review #${r.id}'s head (sha256 ${r.headHash.slice(0, 12)}…).\n`,
        );
        if (dataset)
          process.stdout.write(
            dataset.wrote
              ? `Wrote the dataset it carries to ${dataset.path} (checked against the reviewed head ${r.reviewedHash.slice(0, 12)}…).\n`
              : `${dataset.path} already holds the dataset it carries.\n`,
          );
      }),
    );

  const verdictCommand = (
    name: 'approve' | 'request-changes',
    description: string,
    send: (client: PromptOpsClient, id: string, headHash: string, note: string | undefined) => Promise<ReviewDto>,
    line: (r: ReviewDto) => string,
  ): Command =>
    review
      .command(name)
      .description(description)
      .argument('<id>', 'the review number')
      .option('-m, --message <note>', name === 'approve' ? 'a note' : 'what should change')
      .option(
        '--head <sha256>',
        'the head you reviewed: its sha256 or a unique prefix of at least 12 characters (from `promptops review show`). ' +
          'Without it, on a terminal, the change is shown and you confirm; elsewhere the command refuses.',
      )
      .addOption(serverOption())
      .addOption(jsonOption())
      .action((id: string, flags: Common & { message?: string; head?: string }) =>
        reportApiErrors(async () => {
          const client = connect(flags.server);
          const headHash = await seenHead(client, id, name, flags.head);
          if (headHash === undefined) return;
          const r = await send(client, id, headHash, flags.message);
          reported(r, flags.json, line(r));
        }),
      );

  verdictCommand(
    'approve',
    'Approve the head you reviewed (--head), or, on a terminal, the one shown to you; 409 when the review has moved on.',
    (client, id, headHash, note) => client.approve(id, { headHash, ...(note !== undefined ? { note } : {}) }),
    (r) =>
      `Approved review #${r.id}: ${r.approval.counted.length} of ${r.approval.rule.required} approvals${r.approval.met ? ' — ready to publish' : ''}.`,
  );
  verdictCommand(
    'request-changes',
    'Request changes on the head you reviewed (--head), or, on a terminal, the one shown to you; 409 when the review has moved on.',
    (client, id, headHash, note) => client.requestChanges(id, { note: note ?? 'Changes requested.', headHash }),
    (r) => `Requested changes on review #${r.id}.`,
  ).alias('reject');

  review
    .command('comment')
    .description('Comment on the review.')
    .argument('<id>', 'the review number')
    .requiredOption('-m, --message <text>', 'the comment')
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((id: string, flags: Common & { message: string }) =>
      reportApiErrors(async () => {
        const r = await connect(flags.server).comment(id, flags.message);
        reported(r, flags.json, `Commented on review #${r.id}.`);
      }),
    );

  review
    .command('evaluate')
    .description(
      "Have the server evaluate the review's head on its own model (the prompt's testData and evaluators, each case as many times as the approval rule says) and store the run; " +
        'an approval rule with `evaluations` needs a passing run of the head before publishing. Waits as long as the server lets the run take.',
    )
    .argument('<id>', 'the review number')
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((id: string, flags: Common) =>
      reportApiErrors(async () => {
        const outcome = await runReviewEvaluation(connect(flags.server), id);
        if (outcome.kind === 'no-answer') {
          process.stderr.write(`promptops: ${outcome.message} See \`promptops review show ${id}\`.\n`);
          process.exitCode = 1;
          return;
        }
        const { run } = outcome;
        if (flags.json) return printJson(run);
        const rate = run.judgedRuns
          ? `${Math.round((run.passedRuns / run.judgedRuns) * 1000) / 10}%`
          : 'nothing judged';
        process.stdout.write(
          `Evaluation run #${run.id} of review #${id}, revision ${run.revision}: ${run.passed ? 'passed' : 'failed'} (${run.passedRuns} of ${run.judgedRuns} runs passed: ${rate}; required ${Math.round(run.requiredPassRate * 1000) / 10}%).\n`,
        );
        if (!run.passed) process.exitCode = 1;
      }),
    );

  review
    .command('withdraw')
    .description('Withdraw (close) your review.')
    .argument('<id>', 'the review number')
    .option('-m, --message <note>', 'why')
    .addOption(serverOption())
    .addOption(jsonOption())
    .action((id: string, flags: Common & { message?: string }) =>
      reportApiErrors(async () => {
        const r = await connect(flags.server).withdraw(id, flags.message);
        reported(r, flags.json, `Withdrew review #${r.id}.`);
      }),
    );
}
