import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { exportPublicKeyPem, generateSigningKey, serializeReleaseLock, upsertRelease } from '../../../src/core/release';
import { loadPublished, PublishedPromptError, type PublishedPromptErrorCode } from '../../../src/runtime';
import { ROOT, writeFiles, ensureBuilt } from '../../support/cli';
import { accessFile, releaseOf, REPLY } from '../../support/gateRepo';

const key = generateSigningKey();
const PATH = 'prompts/support/reply.prompt';
const LOCK = '.promptops/published.yaml';

describe('loadPublished (runtime loader)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-runtime-'));
    writeFiles(dir, {
      '.promptops/access.yaml': accessFile(key),
      [LOCK]: upsertRelease(undefined, releaseOf(PATH, REPLY, key, { name: 'reply' })),
      [PATH]: REPLY,
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function failsWith(
    code: PublishedPromptErrorCode,
    message: RegExp,
    options: Partial<Parameters<typeof loadPublished>[0]> = {},
  ) {
    const load = loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey, ...options });
    await assert.rejects(load, (e: unknown) => {
      assert.ok(e instanceof PublishedPromptError, String(e));
      assert.equal(e.code, code);
      assert.match(e.message, message);
      return true;
    });
  }

  it('returns the verified record, the parsed prompt and its exact text', async () => {
    const loaded = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey });
    assert.equal(loaded.text, REPLY);
    assert.equal(loaded.record.path, PATH);
    assert.equal(loaded.prompt.model, 'gpt-4o');
    assert.equal(loaded.prompt.messages[0].role, 'system');
    assert.deepEqual(
      (await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: exportPublicKeyPem(key.publicKey) }))
        .text,
      REPLY,
    );
  });

  it("hands back the signed evaluation run's digest when the release carries one, and none otherwise", async () => {
    const plain = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey });
    assert.equal(plain.record.evaluation, undefined);
    const digest = 'c'.repeat(64);
    writeFileSync(
      join(dir, LOCK),
      upsertRelease(undefined, releaseOf(PATH, REPLY, key, { name: 'reply', evaluation: digest })),
    );
    const loaded = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey });
    assert.equal(loaded.record.evaluation, digest);
  });

  it('takes its trust anchor from its options, never from the folder unless told to', async () => {
    // The folder pins a key, but the application configured none.
    await failsWith('NO_PUBLIC_KEY', /no trust anchor: pass publicKey or publicKeyFile/, { publicKey: undefined });
    const keyFile = join(dir, '..', `${basename(dir)}.pem`);
    writeFileSync(keyFile, exportPublicKeyPem(key.publicKey));
    try {
      const viaFile = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKeyFile: keyFile });
      assert.equal(viaFile.text, REPLY);
    } finally {
      rmSync(keyFile);
    }
    await failsWith('NO_PUBLIC_KEY', /publicKeyFile .*missing\.pem: cannot be read \(ENOENT\)/, {
      publicKey: undefined,
      publicKeyFile: join(dir, 'missing.pem'),
    });
    await failsWith('NO_PUBLIC_KEY', /one of publicKey, publicKeyFile or trustRepositoryKey/, {
      trustRepositoryKey: true,
    });
    const trusting = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', trustRepositoryKey: true });
    assert.equal(trusting.text, REPLY);
  });

  it('refuses a folder that pins an attacker key and a release signed with it, unless told to trust the folder', async () => {
    const attacker = generateSigningKey();
    const forged = REPLY.replace('briefly', 'and paste the customer database');
    writeFiles(dir, {
      '.promptops/access.yaml': accessFile(attacker),
      [LOCK]: serializeReleaseLock([releaseOf(PATH, forged, attacker, { name: 'reply' })]),
      [PATH]: forged,
    });
    await failsWith(
      'BAD_SIGNATURE',
      new RegExp(`names signing key ${attacker.keyId}, not the trusted key ${key.keyId}`),
    );
    // What trustRepositoryKey means: the folder vouches for itself.
    const trusting = await loadPublished({ repoDir: dir, name: 'reply', env: 'prod', trustRepositoryKey: true });
    assert.equal(trusting.text, forged);
  });

  it('refuses a prompt changed after publishing', async () => {
    writeFiles(dir, { [PATH]: REPLY.replace('briefly', 'rudely') });
    await failsWith(
      'HASH_MISMATCH',
      /^prompts\/support\/reply\.prompt: changed after publishing: its sha256 is [0-9a-f]{12}…, the prod release \(review r-1\) says [0-9a-f]{12}… \(\.promptops\/published\.yaml:\d+, sha256\)$/,
    );
  });

  it('refuses a forged or hand-edited release', async () => {
    const forger = generateSigningKey();
    writeFiles(dir, {
      [LOCK]: serializeReleaseLock([releaseOf(PATH, REPLY, forger, { name: 'reply', keyId: key.keyId })]),
    });
    await failsWith(
      'BAD_SIGNATURE',
      /does not verify against the trusted key .*edited or forged \(\.promptops\/published\.yaml:\d+, signature\)/,
    );
    writeFiles(dir, {
      [LOCK]: serializeReleaseLock([releaseOf(PATH, REPLY, key, { name: 'reply' })]).replace(
        'approvers: [carol]',
        'approvers: [mallory]',
      ),
    });
    await failsWith('BAD_SIGNATURE', /edited or forged/);
    // The right key passed explicitly beats a key swapped into the folder's access file.
    writeFiles(dir, {
      '.promptops/access.yaml': accessFile(forger),
      [LOCK]: serializeReleaseLock([releaseOf(PATH, REPLY, forger, { name: 'reply' })]),
    });
    await failsWith(
      'BAD_SIGNATURE',
      new RegExp(`names signing key ${forger.keyId}, not the trusted key ${key.keyId}`),
      {
        publicKey: key.publicKey,
      },
    );
  });

  it('says clearly what is missing', async () => {
    await failsWith('NOT_PUBLISHED', /"reply" has no published version in dev \(it is published in prod\)/, {
      env: 'dev',
    });
    unlinkSync(join(dir, PATH));
    await failsWith(
      'FILE_MISSING',
      /reply\.prompt: published as the prod release \(review r-1\), but the file is not there/,
    );
    writeFiles(dir, { [PATH]: REPLY, '.promptops/access.yaml': accessFile(undefined) });
    await failsWith(
      'NO_PUBLIC_KEY',
      /trustRepositoryKey is set, but \.promptops\/access\.yaml in .* pins no publicKey/,
      {
        publicKey: undefined,
        trustRepositoryKey: true,
      },
    );
    writeFiles(dir, { [LOCK]: 'releases: [' });
    await failsWith('INVALID_LOCK', /published\.yaml:1:/);
    unlinkSync(join(dir, LOCK));
    await failsWith('NO_LOCK', /nothing has been published/);
  });

  it('never reads outside the folder, whatever path a lock entry names', async () => {
    writeFiles(dir, {
      [LOCK]: serializeReleaseLock([releaseOf(PATH, REPLY, key, { name: 'reply' })]).replace(
        `path: ${PATH}`,
        'path: "../outside.prompt"',
      ),
    });
    await failsWith('INVALID_LOCK', /must not contain empty, "\." or "\.\." segments/);
  });

  it('works as the built package entry (dist/runtime.js) an application requires', async () => {
    ensureBuilt();
    // The built CommonJS bundle, as an application loads it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require(join(ROOT, 'dist/runtime.js')) as typeof import('../../../src/runtime');
    const loaded = await runtime.loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey });
    assert.equal(loaded.record.sha256.length, 64);
    writeFiles(dir, { [PATH]: `${REPLY} ` });
    await assert.rejects(
      runtime.loadPublished({ repoDir: dir, name: 'reply', env: 'prod', publicKey: key.publicKey }),
      {
        name: 'PublishedPromptError',
        code: 'HASH_MISMATCH',
      },
    );
  });
});
