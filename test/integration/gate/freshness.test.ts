import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { removeRelease, upsertRelease } from '../../../src/core/release/releaseLock';
import { serializeUnpublished, UNPUBLISHED_PATH } from '../../../src/core/release/unpublishedFile';
import { signUnpublish } from '../../../src/core/release/unpublishRecord';
import { generateSigningKey, type SigningKey } from '../../../src/core/release/signingKeys';
import { ensureBuilt, runCli, writeFiles } from '../../support/cli';
import { directoryFile, gateRepo, releaseOf, REPLY, TEAM, type GateRepo } from '../../support/gateRepo';

const LOCK = '.promptops/published.yaml';
const PROD = 'prompts/support/reply.prompt';
const DIRECTORY = '.promptops/directory.yaml';

describe('freshness: the directory and lock entries only move forward', () => {
  let repo: GateRepo;
  let base: string;
  before(ensureBuilt);
  beforeEach(() => {
    repo = gateRepo();
    base = repo.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => rmSync(repo.dir, { recursive: true, force: true }));

  const verify = () => runCli(['verify', '--base', base], repo.dir);
  const head = () => repo.git('rev-parse', 'HEAD').trim();

  it('refuses an older signed directory committed again, and passes a newer one', () => {
    // The base's directory has serial 1; the server issues serial 2 (vic promoted to admin, say).
    const promoted = TEAM.map((u) => (u.username === 'vic' ? { ...u, role: 'admin' as const } : u));
    const old = directoryFile(repo.key, promoted, 1);
    repo.commitAs('root@example.com', { [DIRECTORY]: directoryFile(repo.key, TEAM, 2) });
    assert.equal(verify().status, 0, verify().stdout);
    base = head();
    repo.commitAs('root@example.com', { [DIRECTORY]: old });
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^\.promptops\/directory\.yaml: serial 1 is older than the base's 2: an earlier directory was committed again/m,
    );
  });

  it('refuses a prompt and its entry rolled back to an older signed release; passes a newer one', () => {
    const older = REPLY;
    const newer = REPLY.replace('briefly', 'kindly');
    const lockOf = (content: string, reviewId: string, publishedAt: string) =>
      upsertRelease(repo.git('show', `HEAD:${LOCK}`), releaseOf(PROD, content, repo.key, { reviewId, publishedAt }));
    repo.commitAs('carol@example.com', { [PROD]: newer, [LOCK]: lockOf(newer, 'r-2', '2025-04-01T00:00:00.000Z') });
    assert.equal(verify().status, 0, verify().stdout);
    base = head();
    const rollback = lockOf(older, 'r-1', '2025-03-02T09:00:00.000Z');
    repo.commitAs('carol@example.com', { [PROD]: older, [LOCK]: rollback });
    const r = verify();
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^prompts\/support\/reply\.prompt: its prod release went back from review r-2 \(published 2025-04-01T00:00:00\.000Z\) to the older review r-1/m,
    );
    repo.git('reset', '-q', '--hard', base);
    repo.commitAs('carol@example.com', { [PROD]: older, [LOCK]: lockOf(older, 'r-3', '2025-05-01T00:00:00.000Z') });
    assert.equal(verify().status, 0, verify().stdout);
  });

  it('refuses an emptied or deleted lock in verify and in check', () => {
    for (const change of ['empty', 'delete'] as const) {
      repo.git('reset', '-q', '--hard', base);
      if (change === 'empty') writeFiles(repo.dir, { [LOCK]: '' });
      else repo.git('rm', '-q', LOCK);
      repo.git('add', '-A');
      const checked = runCli(['check', '--staged', '--user', 'root', '--role', 'admin'], repo.dir);
      assert.equal(checked.status, 1, `${change}: ${checked.stdout}`);
      assert.match(
        checked.stdout,
        /published\.yaml: prompts\/support\/reply\.prompt: its prod release \(review r-1\) was removed from the lock.*an entry leaves the lock only with a server-signed unpublish record/,
      );
      repo.git('-c', 'user.email=root@example.com', 'commit', '-qm', change, '--no-verify');
      const r = verify();
      assert.equal(r.status, 1);
      assert.match(r.stdout, /its prod release \(review r-1\) was removed from the lock/, change);
    }
  });

  it('check --staged lets a lock entry go with a server-signed record of it (the unpublish commit), not with a forged one', () => {
    const release = releaseOf(PROD, REPLY, repo.key);
    const recordBy = (key: Pick<SigningKey, 'privateKey' | 'keyId'>) =>
      signUnpublish(
        {
          path: PROD,
          env: 'prod',
          name: release.name,
          workspace: release.workspace,
          reviewId: release.reviewId,
          sha256: release.sha256,
          publishedAt: release.publishedAt,
          unpublishedBy: 'carol',
          unpublishedAt: '2025-06-01T00:00:00.000Z',
          keyId: key.keyId,
        },
        key.privateKey,
      );
    for (const [key, ok] of [
      [repo.key, true],
      [generateSigningKey(), false],
    ] as const) {
      repo.git('reset', '-q', '--hard', base);
      writeFiles(repo.dir, {
        [LOCK]: removeRelease(repo.git('show', `HEAD:${LOCK}`), PROD, 'prod'),
        [UNPUBLISHED_PATH]: serializeUnpublished([recordBy(key)]),
      });
      repo.git('add', '-A');
      // Carol is no admin: the record and the lock are the server's files, judged by signature, not by who commits.
      const checked = runCli(['check', '--staged', '--user', 'carol', '--role', 'editor'], repo.dir);
      assert.equal(checked.status, ok ? 0 : 1, checked.stdout);
      if (!ok) assert.match(checked.stdout, /was removed from the lock/);
    }
  });
});
