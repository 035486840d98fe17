import assert from 'node:assert/strict';
import {
  importPrivateKeyPem,
  parseReleaseLock,
  publicKeyOf,
  releasePayload,
  serializeReleaseLock,
  signRelease,
  verifyReleaseSignature,
  type ReleaseRecord,
} from '../../../src/core/release';
import { readCanonicalLock } from '../../../src/core/release/canonicalLockReader';

// Bytes written before the release record had one definition: signatures made then, and the
// locks holding them, must read and verify unchanged (Ed25519 signs deterministically).
const KEY_PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MC4CAQAwBQYDK2VwBCIEIN7j4sDNmMmn+hwqRuPNacK7QpU6ALiU4izzUORzADS/',
  '-----END PRIVATE KEY-----',
  '',
].join('\n');

const plain: ReleaseRecord = {
  path: 'prompts/support/triage.prompt.md',
  name: 'triage',
  workspace: 'support',
  env: 'prod',
  sha256: 'a'.repeat(64),
  reviewId: '42',
  author: 'alice',
  approvers: ['bob', 'carol "c" dé'],
  publisher: 'dave',
  publishedAt: '2025-03-01T10:00:00.000Z',
  keyId: '436e066669c339db',
};
const evaluated: ReleaseRecord = { ...plain, path: 'prompts/z.prompt', approvers: [], evaluation: 'b'.repeat(64) };

const PLAIN_PAYLOAD =
  'promptops-release-v1\n{"approvers":["bob","carol \\"c\\" dé"],"author":"alice","env":"prod","keyId":"436e066669c339db",' +
  '"name":"triage","path":"prompts/support/triage.prompt.md","publishedAt":"2025-03-01T10:00:00.000Z","publisher":"dave",' +
  `"reviewId":"42","sha256":"${'a'.repeat(64)}","workspace":"support"}`;
const EVALUATED_PAYLOAD =
  `promptops-release-v1\n{"approvers":[],"author":"alice","env":"prod","evaluation":"${'b'.repeat(64)}","keyId":"436e066669c339db",` +
  '"name":"triage","path":"prompts/z.prompt","publishedAt":"2025-03-01T10:00:00.000Z","publisher":"dave",' +
  `"reviewId":"42","sha256":"${'a'.repeat(64)}","workspace":"support"}`;
const PLAIN_SIGNATURE = 'KzEuOmpGhfbnIY4PxIa3ARliZmq239K04g7j3RvhVdpcREgq5Be2hNuMgOiaJaKDKuDo0RSyg3pvIEso4Wz4Cg==';
const EVALUATED_SIGNATURE = 'acVE37jnK+EMmgjgHhrDidbFghd8i18TStdiQSwTMfWIpdfs1AUX3nbrQT5syGipu7zpR0k1QGBdIUeiNmZxDQ==';

const LOCK = [
  '# PromptOps release lock: one signed entry per published prompt and env.',
  '# Written by `promptops publish`; do not edit by hand: `promptops verify` checks every hash and signature.',
  'version: 1',
  'releases:',
  '  - path: prompts/support/triage.prompt.md',
  '    env: prod',
  '    name: triage',
  '    workspace: support',
  `    sha256: ${'a'.repeat(64)}`,
  '    reviewId: "42"',
  '    author: alice',
  '    approvers: [bob, "carol \\"c\\" dé"]',
  '    publisher: dave',
  '    publishedAt: "2025-03-01T10:00:00.000Z"',
  '    keyId: "436e066669c339db"',
  `    signature: "${PLAIN_SIGNATURE}"`,
  '  - path: prompts/z.prompt',
  '    env: prod',
  '    name: triage',
  '    workspace: support',
  `    sha256: ${'a'.repeat(64)}`,
  '    reviewId: "42"',
  '    author: alice',
  '    approvers: []',
  '    publisher: dave',
  '    publishedAt: "2025-03-01T10:00:00.000Z"',
  '    keyId: "436e066669c339db"',
  `    evaluation: ${'b'.repeat(64)}`,
  `    signature: "${EVALUATED_SIGNATURE}"`,
  '',
].join('\n');

describe('release record format (bytes written before its one definition)', () => {
  const privateKey = importPrivateKeyPem(KEY_PEM);
  const publicKey = publicKeyOf(privateKey);

  it('signs the same bytes as before, with and without an evaluation', () => {
    assert.equal(releasePayload(plain).toString('utf8'), PLAIN_PAYLOAD);
    assert.equal(releasePayload(evaluated).toString('utf8'), EVALUATED_PAYLOAD);
    assert.equal(signRelease(plain, privateKey).signature, PLAIN_SIGNATURE);
    assert.equal(signRelease(evaluated, privateKey).signature, EVALUATED_SIGNATURE);
  });

  it('writes the same lock text as before and reads it back (fast and general reader) with signatures that verify', () => {
    const releases = [signRelease(evaluated, privateKey), signRelease(plain, privateKey)];
    assert.equal(serializeReleaseLock(releases), LOCK);
    const fast = readCanonicalLock(LOCK);
    assert.ok(fast, 'the fast reader takes the canonical text');
    const general = parseReleaseLock(`${LOCK}# a comment turns the fast reader away\n`);
    assert.deepEqual(general.diagnostics, []);
    for (const entries of [fast.map((e) => e.release), general.entries!.map((e) => e.release)]) {
      assert.deepEqual(entries, [releases[1], releases[0]]);
      for (const r of entries) assert.equal(verifyReleaseSignature(r, r.signature, publicKey), true, r.path);
    }
  });
});
