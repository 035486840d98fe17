import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { removeRelease, serializeReleaseLock, upsertRelease } from '../../../src/core/release/releaseLock';
import { generateSigningKey, type SigningKey } from '../../../src/core/release/signingKeys';
import { parseUnpublished, serializeUnpublished, UNPUBLISHED_PATH } from '../../../src/core/release/unpublishedFile';
import { signUnpublish } from '../../../src/core/release/unpublishRecord';
import { loadPublished } from '../../../src/runtime/loadPublished';
import { PublishedPromptError } from '../../../src/runtime/publishedPromptError';
import type { RunningServer } from '../../../src/server/startServer';
import { loadSigningKeys } from '../../../src/server/signing/serverSigningKey';
import type { SignedReleaseDto } from '../../../src/shared/api/releases';
import type { ReviewDto } from '../../../src/shared/api/reviews';
import { tempGitRepo } from '../../support/cli';
import { CliUser } from '../../support/cliAgainstServer';
import { accessFile, REPLY } from '../../support/gateRepo';
import { mustPost } from '../../support/reviewFixtures';
import { applyAccessFile } from '../../support/reviewServer';
import { sqliteBackend, type TestBackend } from '../../support/serverBackends';
import { apiKeyFor, sessionFor, startTestServer } from '../../support/serverFixtures';
import { buildCli } from '../../support/serverProcess';

const LOCK = '.promptops/published.yaml';
const PROMPT = 'prompts/support/reply.prompt';

/**
 * Unpublishing end to end: a real server on SQLite, the built CLI, a real git repository.
 * `promptops unpublish` drops the lock entry and commits the server-signed record beside
 * it; `verify` (HEAD and --base) accepts that, and refuses a lock entry removed without a
 * record, with a record signed by another key, or with an old record replayed against a
 * newer publish. The runtime loader says "unpublished".
 */
describe('promptops unpublish: a lock entry leaves only with a server-signed record of it', function () {
  this.timeout(180_000);
  let backend: TestBackend;
  let server: RunningServer;
  let cli: string;
  let repo: string;
  let carol: CliUser;
  let carolEnv: NodeJS.ProcessEnv;
  let serverKey: SigningKey;
  let tokens: Record<'carol' | 'root', string>;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: 'pipe' });
  const head = () => git('rev-parse', 'HEAD').trim();
  const read = (path: string) => readFileSync(join(repo, path), 'utf8');
  const commit = (files: Record<string, string>, message: string): string => {
    for (const [path, text] of Object.entries(files)) writeFileSync(join(repo, path), text);
    git('add', '-A');
    git('commit', '-qm', message, '--no-verify');
    return head();
  };
  const verify = (...args: string[]) => carol.run(['verify', ...args]);
  const verifyFails = (base: string, pattern: RegExp, withoutBase = false) => {
    for (const args of withoutBase ? [['--base', base], []] : [['--base', base]]) {
      const r = verify(...args);
      assert.equal(r.status, 1, `verify ${args.join(' ')} should fail:\n${r.stdout}${r.stderr}`);
      assert.match(r.stdout, pattern, `verify ${args.join(' ')}`);
    }
  };
  const verifyPasses = (base: string) => {
    for (const args of [['--base', base], []]) {
      const r = verify(...args);
      assert.equal(r.status, 0, `verify ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
    }
  };

  /** Carol requests, root approves, carol publishes, and the release goes into the repo as `promptops publish` writes it. */
  async function publish(content: string): Promise<SignedReleaseDto> {
    const review = await mustPost<ReviewDto>(server, tokens.carol, '/api/reviews', { path: PROMPT, content });
    await mustPost(server, tokens.root, `/api/reviews/${review.id}/approve`, { headHash: review.headHash });
    const { release } = await mustPost<{ release: SignedReleaseDto }>(
      server,
      tokens.carol,
      `/api/reviews/${review.id}/publish`,
      { headHash: review.headHash },
    );
    commit({ [PROMPT]: content, [LOCK]: upsertRelease(read(LOCK), release) }, `publish review ${review.id}`);
    return release;
  }

  before(async () => {
    cli = await buildCli();
    backend = sqliteBackend();
    server = await startTestServer(backend);
    serverKey = (await loadSigningKeys(server.store)).current;
    const access = accessFile(serverKey);
    await applyAccessFile(server, access);
    const now = Date.now();
    const user = async (username: string, role: 'admin' | 'editor') => {
      await server.store.createUser({
        id: `${username}-id`,
        username,
        passwordHash: 'unused',
        role,
        emails: [`${username}@example.com`, ...(role === 'admin' ? ['test@example.com'] : [])],
        defaultPassword: false,
        now,
      });
      return sessionFor(server, `${username}-id`);
    };
    tokens = { carol: await user('carol', 'editor'), root: await user('root', 'admin') };
    repo = tempGitRepo({
      '.promptops/access.yaml': access,
      [LOCK]: serializeReleaseLock([]),
      'prompts/support/.keep': '',
    });
    carol = new CliUser('carol', cli, repo);
    const key = await apiKeyFor(server, 'carol-id', ['prompt.read', 'prompt.publish']);
    carolEnv = { PROMPTOPS_SERVER: server.url, PROMPTOPS_API_KEY: key.token };
    const rootKey = await apiKeyFor(server, 'root-id', ['prompt.read']);
    const pulled = await carol.start(['directory', 'pull'], {
      PROMPTOPS_SERVER: server.url,
      PROMPTOPS_API_KEY: rootKey.token,
    });
    assert.equal(pulled.status, 0, pulled.stderr);
    commit({}, 'the signed user directory');
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
    for (const dir of [repo, carol?.configHome]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let published: SignedReleaseDto;
  let beforeUnpublish: string;
  let unpublished: string;

  it('unpublish commits the record and drops the entry; verify passes at HEAD and with --base', async () => {
    published = await publish(REPLY);
    beforeUnpublish = head();
    verifyPasses(beforeUnpublish);
    const r = await carol.start(['unpublish', PROMPT, '--env', 'prod'], carolEnv);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(
      r.stdout,
      new RegExp(`^Unpublished ${PROMPT} from prod \\(retired review #${published.reviewId}, `, 'm'),
    );
    unpublished = head();
    assert.notEqual(unpublished, beforeUnpublish, 'the CLI committed');
    assert.deepEqual(git('show', '--name-only', '--format=', 'HEAD').trim().split('\n').sort(), [
      LOCK,
      UNPUBLISHED_PATH,
    ]);
    assert.doesNotMatch(read(LOCK), /reply\.prompt/);
    const [record] = parseUnpublished(read(UNPUBLISHED_PATH)).records!.map((x) => x.record);
    assert.equal(record.reviewId, published.reviewId);
    assert.equal(record.unpublishedBy, 'carol');
    verifyPasses(beforeUnpublish);
  });

  it('the runtime loader says the prompt was unpublished (not NOT_PUBLISHED, not HASH_MISMATCH)', async () => {
    await assert.rejects(
      loadPublished({ repoDir: repo, name: 'reply', env: 'prod', publicKey: serverKey.publicKey }),
      (e: unknown) =>
        e instanceof PublishedPromptError &&
        e.code === 'UNPUBLISHED' &&
        /prompt "reply" \(prompts\/support\/reply\.prompt\) was unpublished from prod by carol at /.test(e.message),
    );
  });

  it('a lock entry deleted without a record fails verify --base', () => {
    git('checkout', '-q', '--detach', beforeUnpublish);
    commit({ [LOCK]: removeRelease(read(LOCK), PROMPT, 'prod') }, 'drop the entry');
    verifyFails(
      beforeUnpublish,
      /^prompts\/support\/reply\.prompt: its prod release .* was removed from the lock: an entry leaves the lock only with a server-signed unpublish record/m,
    );
  });

  it('a forged record (signed by another key) fails verify, at HEAD and with --base', () => {
    git('checkout', '-q', '--detach', beforeUnpublish);
    const attacker = generateSigningKey();
    const forged = signUnpublish(
      {
        path: PROMPT,
        env: 'prod',
        name: 'reply',
        workspace: 'support',
        reviewId: published.reviewId,
        sha256: published.sha256,
        publishedAt: published.publishedAt,
        unpublishedBy: 'carol',
        unpublishedAt: new Date().toISOString(),
        keyId: attacker.keyId,
      },
      attacker.privateKey,
    );
    commit(
      { [LOCK]: removeRelease(read(LOCK), PROMPT, 'prod'), [UNPUBLISHED_PATH]: serializeUnpublished([forged]) },
      'forged unpublish',
    );
    verifyFails(beforeUnpublish, new RegExp(`names signing key ${attacker.keyId}, which is not trusted`), true);
    verifyFails(beforeUnpublish, /was removed from the lock/);
  });

  it('publishing again is newer than the record; the old record replayed against the newer publish fails', async () => {
    git('checkout', '-q', 'main');
    assert.equal(head(), unpublished);
    const again = await publish(REPLY.replace('briefly', 'very briefly'));
    const republished = head();
    verifyPasses(unpublished);
    assert.ok(
      Date.parse(again.publishedAt) >
        Date.parse(parseUnpublished(read(UNPUBLISHED_PATH)).records![0].record.unpublishedAt),
    );

    // Drop the new entry, keeping the record of the old release.
    git('checkout', '-q', '--detach', republished);
    commit({ [LOCK]: removeRelease(read(LOCK), PROMPT, 'prod') }, 'replay the old unpublish');
    verifyFails(republished, /was removed from the lock/);

    // Bring the retired release back in place of nothing: refused as retired.
    git('checkout', '-q', '--detach', unpublished);
    commit({ [PROMPT]: REPLY, [LOCK]: upsertRelease(read(LOCK), published) }, 'bring the retired release back');
    verifyFails(unpublished, /is not newer than its unpublishing by carol/, true);
    git('checkout', '-q', 'main');
  });
});
