import assert from 'node:assert/strict';
import { generateSigningKey, trustedKeys, verifyLockEntry, type LockEntry } from '../../../src/core/release';
import { releaseFor, signedWith, testKey } from '../../support/releaseFixtures';

const PATH = 'prompts/reply.prompt';
const CONTENT = 'hello\n';
const bytes = (text: string) => new TextEncoder().encode(text);
const at = (release: LockEntry['release']): LockEntry => ({ release, line: 7, column: 5 });

describe('verifyLockEntry', () => {
  const trusted = trustedKeys(testKey().publicKey);

  it('is ok for the exact bytes of a release signed by a trusted key', () => {
    assert.deepEqual(verifyLockEntry(at(releaseFor(PATH, CONTENT)), bytes(CONTENT), trusted), {
      ok: true,
      keyId: testKey().keyId,
    });
  });

  it('locates each problem: missing content, both hashes, an unknown key, a bad signature', () => {
    const entry = at(releaseFor(PATH, CONTENT));
    const missing = verifyLockEntry(entry, undefined, trusted);
    assert.deepEqual(
      [missing.ok, !missing.ok && missing.kind, !missing.ok && missing.line],
      [false, 'content-missing', 7],
    );

    const changed = verifyLockEntry(entry, bytes('hello!\n'), trusted);
    assert.ok(!changed.ok && changed.kind === 'hash-mismatch');
    assert.equal(changed.expected, entry.release.sha256);
    assert.equal(changed.actual.length, 64);
    assert.match(changed.message, /\(\.promptops\/published\.yaml:7, sha256\)$/);

    const forger = generateSigningKey();
    const unknown = verifyLockEntry(at(releaseFor(PATH, CONTENT, {}, forger)), bytes(CONTENT), trusted);
    assert.ok(!unknown.ok && unknown.kind === 'unknown-key');
    assert.deepEqual([unknown.keyId, unknown.trusted, unknown.field], [forger.keyId, [testKey().keyId], 'keyId']);

    const claimed = signedWith({ ...entry.release, keyId: testKey().keyId }, forger);
    const forged = verifyLockEntry(at(claimed), bytes(CONTENT), trusted);
    assert.ok(!forged.ok && forged.kind === 'bad-signature');
    assert.equal(forged.field, 'signature');
  });

  it('trusts nothing when given no key', () => {
    const verdict = verifyLockEntry(at(releaseFor(PATH, CONTENT)), bytes(CONTENT), trustedKeys());
    assert.ok(!verdict.ok && verdict.kind === 'unknown-key');
    assert.match(verdict.message, /not the trusted key \(none\)/);
  });
});
