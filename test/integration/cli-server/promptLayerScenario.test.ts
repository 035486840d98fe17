import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importPublicKey } from '../../../src/core/release/signingKeys';
import { parseReleaseLock } from '../../../src/core/release/releaseLock';
import { parseUserDirectory, verifyUserDirectorySignature } from '../../../src/core/release/userDirectory';
import { verifyReleaseSignature } from '../../../src/core/release/releaseRecord';
import { contentSha256 } from '../../../src/core/release/contentHash';
import type { PublicKeyResponse } from '../../../src/shared/api/keys';
import type { ReviewDto, ReviewSummaryDto } from '../../../src/shared/api/reviews';
import { ServedTeam } from '../../support/cliAgainstServer';
import { promptText } from '../../support/reviewFixtures';
import { PROMPTLAYER_ACCESS } from '../../support/reviewServer';
import { STATIC_TOKEN } from '../../support/serverFixtures';
import { http } from '../../support/serverHttp';

/**
 * PromptLayer's "access control in action", end to end: a real server process, a real git
 * repository and the built CLI, one config folder per person. An engineer (erin, drafter)
 * drafts in dev and asks for review, a reviewer (rita) approves, a publisher (paul)
 * publishes; the lock and a commit appear; prod is then changeable by publishers only,
 * everyone can read it, and nobody gets around review.
 */
describe('CLI against a real server: the PromptLayer scenario', function () {
  this.timeout(120_000);
  let served: ServedTeam;
  let serve: ServedTeam['serve'];
  let repo: string;
  let people: ServedTeam['people'];
  const devPath = 'prompts/support/refund.prompt';
  const prodPath = 'prompts/support/refund-prod.prompt';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });

  before(async () => {
    // A bare remote: apply reads the access file as pushed to the release branch.
    served = await ServedTeam.start({
      seedFiles: (url) => ({
        '.promptops/access.yaml': PROMPTLAYER_ACCESS.replace('version: 1\n', `version: 1\nserver: ${url}\n`),
        [devPath]: promptText('You handle refunds.', { env: 'dev' }),
        [prodPath]: promptText('You handle refunds.', { env: 'prod' }),
      }),
    });
    ({ serve, seed: repo, people } = served);
    for (const name of ['erin', 'rita', 'paul', 'pia', 'vic']) served.person(name);
  });

  after(() => served?.stop());

  it('an admin signs in (token kept 0600 in a 0700 folder), applies the access file and adds the team', () => {
    const { admin } = people;
    admin.ok(['login', '--server', serve.url, '--username', 'admin'], { PROMPTOPS_PASSWORD: 'admin' });
    const credentials = join(admin.configHome, 'promptops', 'credentials.json');
    assert.equal(statSync(credentials).mode & 0o777, 0o600);
    assert.equal(statSync(join(admin.configHome, 'promptops')).mode & 0o777, 0o700);
    assert.match(admin.ok(['whoami']), /^admin \(admin\) on http/);
    // No --server: the access file names it.
    const applied = admin.ok(['apply']);
    assert.match(applied, /Applied \.promptops\/access\.yaml from commit [0-9a-f]{7} \(origin\/main\) as version 1/);
    assert.match(applied, /Wrote \.promptops\/policy\.lock/);
    git('add', '.promptops/policy.lock');
    git('commit', '-qm', 'the signed policy record');
    git('push', '-q', 'origin', 'main');
    assert.match(admin.ok(['apply']), /Unchanged/);
    for (const name of ['erin', 'rita', 'paul', 'pia', 'vic'])
      admin.ok(['users', 'add', name, '--role', 'viewer', '--email', `${name}@example.com`], {
        PROMPTOPS_NEW_PASSWORD: `${name}-password-1`,
      });
    assert.deepEqual(
      admin
        .json<{ username: string }[]>(['users', 'list'])
        .map((u) => u.username)
        .sort(),
      ['admin', 'erin', 'paul', 'pia', 'rita', 'vic'],
    );
    for (const name of ['erin', 'rita', 'paul', 'pia', 'vic'])
      people[name].ok(['login', '--username', name], { PROMPTOPS_PASSWORD: `${name}-password-1` });
  });

  it('refuses a broken access file, naming file, line and field', () => {
    // Pushed on a branch of its own, checked out: apply takes it from that commit with --commit.
    git('checkout', '-q', '-b', 'broken-policy');
    const access = join(repo, '.promptops/access.yaml');
    const good = readFileSync(access, 'utf8');
    writeFileSync(access, 'version: 1\nworkspaces:\n  support:\n    members: { erin: ghost }\n');
    git('commit', '-qam', 'a broken access file');
    git('push', '-q', 'origin', 'broken-policy');
    const r = people.admin.run(['apply', '--commit', 'HEAD']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /access\.yaml:4:\d+ workspaces\.support\.members\.erin/);
    git('checkout', '-q', 'main');
    git('branch', '-q', '-D', 'broken-policy');
    git('push', '-q', 'origin', '--delete', 'broken-policy');
    assert.equal(readFileSync(access, 'utf8'), good);
  });

  it('refuses uncommitted and unpushed access file changes, and a FILE argument, naming what to do', () => {
    const access = join(repo, '.promptops/access.yaml');
    const good = readFileSync(access, 'utf8');
    writeFileSync(access, `${good}# an edit\n`);
    const uncommitted = people.admin.run(['apply']);
    assert.equal(uncommitted.status, 1);
    assert.match(uncommitted.stderr, /not the one committed at [0-9a-f]{7} \(origin\/main\).*uncommitted or unpushed/);
    git('commit', '-qam', 'unpushed edit');
    const unpushed = people.admin.run(['apply', '--commit', 'HEAD']);
    assert.equal(unpushed.status, 1);
    assert.match(unpushed.stderr, /is not pushed to origin/);
    const file = people.admin.run(['apply', '.promptops/access.yaml']);
    assert.equal(file.status, 2);
    assert.match(file.stderr, /FILE is no longer accepted/);
    git('reset', '-q', '--hard', 'origin/main');
    assert.match(people.admin.ok(['apply']), /Unchanged/);
  });

  let devReview: ReviewDto;

  it('erin drafts in dev and asks for review; rita sees it waiting and the per-message diff', () => {
    writeFileSync(join(repo, devPath), promptText('You handle refunds politely and quickly.', { env: 'dev' }));
    devReview = people.erin.json<ReviewDto>(['review', 'request', devPath, '-m', 'friendlier tone']);
    assert.deepEqual(
      [devReview.workspace, devReview.env, devReview.author, devReview.gitBranch],
      ['support', 'dev', 'erin', 'main'],
    );
    assert.equal(devReview.baseContent, null, 'nothing is published yet: no base, whatever git holds');
    const waiting = people.rita.json<ReviewSummaryDto[]>(['review', 'list', '--to-approve']);
    assert.deepEqual(
      waiting.map((r) => r.id),
      [devReview.id],
    );
    assert.deepEqual(people.erin.json<ReviewSummaryDto[]>(['review', 'list', '--to-approve']), []);
    const shown = people.rita.ok(['review', 'show', devReview.id]);
    // Nothing is published, so the drafter's change shows against the reviewer's git's base commit first.
    assert.match(
      shown,
      /^Changes against your git's base commit [0-9a-f]{7}:\n {2}message 1 \(system\): changed\n.*\n {6}\+ You handle refunds\{\+ politely and quickly\+\}\.\n/m,
    );
    assert.match(
      shown,
      /Changes against the published version \(dev\):\n {2}\(Nothing is published in dev yet: all of it is new\.\)/,
    );
    assert.match(shown, /message 1 \(system\): added/);
    assert.match(shown, /yes +approve/);
  });

  it('erin cannot approve or publish her own draft; rita approves; paul publishes: the lock and a commit appear', async () => {
    const self = people.erin.run(['review', 'approve', devReview.id, '--head', devReview.headHash]);
    assert.equal(self.status, 1);
    assert.match(self.stderr, /drafter/);
    people.rita.ok(['review', 'approve', devReview.id, '-m', 'tone is right', '--head', devReview.headHash]);
    const drafterPublish = people.erin.run(['publish', devReview.id]);
    assert.equal(drafterPublish.status, 1, 'a drafter’s direct publish is refused');
    assert.match(drafterPublish.stderr, /drafter/);

    const out = people.paul.ok(['publish', devReview.id]);
    assert.match(out, /Published prompts\/support\/refund\.prompt to support\/dev from review #\d+/);
    assert.match(git('log', '-1', '--format=%s'), /^Publish prompts\/support\/refund\.prompt to dev/);
    assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [
      '.promptops/published.yaml',
      devPath,
    ]);
    const lock = parseReleaseLock(readFileSync(join(repo, '.promptops/published.yaml'), 'utf8'));
    assert.ok(lock.entries);
    const entry = lock.entries[0].release;
    assert.deepEqual(
      [entry.path, entry.env, entry.author, entry.publisher, entry.approvers],
      [devPath, 'dev', 'erin', 'paul', ['rita']],
    );
    assert.equal(entry.sha256, contentSha256(readFileSync(join(repo, devPath))));
    const key = (await http(serve.url, { method: 'GET', path: '/api/keys/public', token: STATIC_TOKEN }))
      .json as PublicKeyResponse;
    assert.equal(verifyReleaseSignature(entry, entry.signature, importPublicKey(key.spkiBase64)), true);
    // Publishing again does not sign twice: the existing release is written back, nothing new to commit.
    assert.match(people.pia.ok(['publish', devReview.id]), /Already published/);
    assert.equal(git('status', '--porcelain').trim(), '');
  });

  it('the next dev change shows against the published version; an unchanged file is refused', () => {
    const unchanged = people.erin.run(['review', 'request', devPath]);
    assert.equal(unchanged.status, 1);
    assert.match(unchanged.stderr, /identical to its published version in dev; there is nothing to review/);
    const published = readFileSync(join(repo, devPath), 'utf8');
    writeFileSync(
      join(repo, devPath),
      promptText('You handle refunds politely and quickly. Never promise a date.', { env: 'dev' }),
    );
    const next = people.erin.json<ReviewDto>(['review', 'request', devPath]);
    assert.equal(next.baseContent, published);
    const shown = people.rita.ok(['review', 'show', next.id]);
    assert.match(shown, /Changes against the published version \(dev\):\n {2}message 1 \(system\): changed\n/);
    assert.match(shown, /\+ You handle refunds politely and quickly\.\{\+ ?Never promise a date\.\+\}/);
    people.erin.ok(['review', 'withdraw', next.id]);
    git('checkout', '--', devPath);
  });

  it('prod is locked to publishers: drafters and viewers cannot even ask; everyone can read it', () => {
    writeFileSync(join(repo, prodPath), promptText('You handle refunds politely.', { env: 'prod' }));
    for (const name of ['erin', 'vic', 'rita']) {
      const r = people[name].run(['review', 'request', prodPath]);
      assert.equal(r.status, 1, `${name} may not ask for review of a prod change`);
      assert.match(r.stderr, /publisher/);
    }
    const prod = people.paul.json<ReviewDto>(['review', 'request', prodPath, '-m', 'promote the new tone']);
    assert.equal(prod.env, 'prod');
    const shown = people.vic.ok(['review', 'show', prod.id]);
    assert.match(shown, /Review #\d+ \(open\): prompts\/support\/refund-prod\.prompt {2}\[support\/prod\]/);
    assert.match(shown, /no +approve/);

    const selfApproval = people.paul.run(['review', 'approve', prod.id, '--head', prod.headHash]);
    assert.equal(selfApproval.status, 1, 'self-approval is refused by the prod rule');
    people.rita.ok(['review', 'approve', prod.id, '--head', prod.headHash]);
    const unmet = people.paul.run(['publish', prod.id]);
    assert.equal(unmet.status, 1, 'one approval of two: no publishing');
    assert.match(unmet.stderr, /needs 2 approvals/);
    people.pia.ok(['review', 'approve', prod.id, '--head', prod.headHash]);

    // The file changes after approval: publishing what was not approved is refused.
    const approved = readFileSync(join(repo, prodPath), 'utf8');
    writeFileSync(join(repo, prodPath), `${approved}\n`);
    const changed = people.paul.run(['publish', prod.id]);
    assert.equal(changed.status, 1);
    assert.match(changed.stderr, /not the approved head/);
    writeFileSync(join(repo, prodPath), approved);

    assert.match(people.paul.ok(['publish', prod.id]), /Published .* to support\/prod/);
    const lock = parseReleaseLock(readFileSync(join(repo, '.promptops/published.yaml'), 'utf8'));
    assert.deepEqual(
      lock.entries?.map((e) => `${e.release.path}@${e.release.env}:${e.release.approvers.join('+')}`),
      [`${prodPath}@prod:rita+pia`, `${devPath}@dev:rita`],
    );
    assert.equal(git('status', '--porcelain').trim(), '', 'prompt and lock are committed together');
  });

  it('check --staged without flags decides for the signed-in user, with the role the server holds now', () => {
    writeFileSync(join(repo, prodPath), `${readFileSync(join(repo, prodPath), 'utf8')}\n`);
    git('add', prodPath);
    const vic = people.vic.run(['check', '--staged']);
    assert.equal(vic.status, 1, vic.stderr);
    assert.match(
      vic.stdout,
      new RegExp(
        `^${prodPath}: Read-only: editing prod prompts in \`support\` needs the \`publisher\` or \`admin\` role; you are \`viewer\`\\.`,
      ),
    );
    assert.match(vic.stderr, /vic \(viewer\) may not change/);
    assert.equal(people.paul.run(['check', '--staged']).status, 0, 'a publisher may');
    git('reset', '-q', '--hard');
  });

  it('an admin pulls the signed user directory that verify reads offline', async () => {
    assert.match(
      people.admin.ok(['directory', 'pull']),
      /Wrote .*directory\.yaml: 6 users, signed by key [0-9a-f]{16}/,
    );
    const key = (await http(serve.url, { method: 'GET', path: '/api/keys/public', token: STATIC_TOKEN }))
      .json as PublicKeyResponse;
    const text = readFileSync(join(repo, '.promptops/directory.yaml'), 'utf8');
    const parsed = parseUserDirectory(text);
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(parsed.directory!.users.map((u) => `${u.username}:${u.role}`).sort(), [
      'admin:admin',
      'erin:viewer',
      'paul:viewer',
      'pia:viewer',
      'rita:viewer',
      'vic:viewer',
    ]);
    assert.ok(parsed.directory!.users.find((u) => u.username === 'rita')!.emails.includes('rita@example.com'));
    assert.equal(verifyUserDirectorySignature(parsed.directory!, importPublicKey(key.spkiBase64)), true);
    git('checkout', '--', '.');
  });

  it('whoami and logout', () => {
    assert.match(people.vic.ok(['whoami']), /^vic \(viewer\)/);
    people.vic.ok(['logout']);
    const after = people.vic.run(['whoami']);
    assert.equal(after.status, 1);
    assert.match(after.stderr, /not signed in/);
  });
});
