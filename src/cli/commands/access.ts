import type { Command } from 'commander';
import type { AccessReviewResponse } from '../../shared/api/accessReview';
import {
  accountFacts,
  accountTitle,
  flagsHeading,
  flagText,
  rightsUsedText,
  rolesByWorkspace,
} from '../../core/policy/accessReviewText';
import { connect } from '../apiConnection';
import { printJson, reportApiErrors } from '../apiErrors';

interface ReviewFlags {
  server?: string;
  json?: boolean;
  csv?: boolean;
  days?: string;
}

/** RFC 4180: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One line per user × workspace × env, with the account's facts and flags repeated on each. */
export function accessReviewCsv(review: AccessReviewResponse): string {
  const users = new Map(review.users.map((u) => [u.username, u]));
  const header = [
    'username',
    'org_role',
    'workspace',
    'env',
    'role',
    'role_source',
    'last_sign_in',
    'api_keys',
    'flags',
  ];
  const lines = [header.join(',')];
  for (const row of review.rows) {
    const u = users.get(row.username);
    const flags = review.flags.filter((f) => f.username === row.username).map((f) => f.kind);
    lines.push(
      [
        row.username,
        row.orgRole,
        row.workspace,
        row.env,
        row.role,
        row.source,
        u?.lastSignInAt ?? '',
        (u?.apiKeys ?? []).map((k) => k.name).join(' '),
        flags.join(' '),
      ]
        .map(csvField)
        .join(','),
    );
  }
  // People the access file names who have no account have no rows: one line each, so the CSV misses nothing.
  for (const f of review.flags.filter((x) => x.kind === 'not-on-server')) {
    lines.push([f.username, '', '', '', '', '', '', '', f.kind].map(csvField).join(','));
  }
  return lines.join('\n') + '\n';
}

/** Per user: org role, last sign-in, keys, then their role in each workspace (envs that agree folded into one). */
export function accessReviewTable(review: AccessReviewResponse): string {
  const out: string[] = [];
  for (const u of review.users) {
    out.push([accountTitle(u), ...accountFacts(u)].join('  '), `    ${rightsUsedText(u, review.days)}`);
    for (const [ws, cells] of rolesByWorkspace(review.rows, u.username))
      out.push(`    ${ws.padEnd(16)} ${cells.join('  ')}`);
  }
  out.push('', flagsHeading(review.flags.length, review.days));
  for (const f of review.flags) out.push(`  ${f.username}: ${flagText(f).replace('\n', '\n      ')}`);
  return out.join('\n') + '\n';
}

function daysFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]{0,3}$/.test(value))
    throw new Error(`access review: --days "${value}" must be a whole number of days (1–9999)`);
  return Number(value);
}

/** `promptops access review`: who can do what where, and what to clean up. */
export function register(program: Command): void {
  const access = program.command('access').description('Review who has access (admins).');
  access
    .command('review')
    .description(
      'Every user × workspace × env with their effective role (org role and access-file bindings), last sign-in and API keys, with flags that say what to do.',
    )
    .option('--days <n>', 'flag accounts with no sign-in for this many days (default 90)')
    .option('--json', 'print JSON for machines')
    .option('--csv', 'print CSV (one line per user × workspace × env) for a spreadsheet')
    .option('--server <url>', 'the server')
    .action((flags: ReviewFlags) =>
      reportApiErrors(async () => {
        if (flags.json && flags.csv) throw new Error('access review: choose one of --json and --csv');
        const review = await connect(flags.server).accessReview(daysFrom(flags.days));
        if (flags.json) return printJson(review);
        process.stdout.write(flags.csv ? accessReviewCsv(review) : accessReviewTable(review));
      }),
    );
}
