import assert from 'node:assert/strict';
import {
  generateSigningKey,
  trustedKeys,
  verifyLockEntries,
  verifyLockEntry,
  type LockEntry,
} from '../../../src/core/release';
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

describe('verifyLockEntries', () => {
  const trusted = trustedKeys(testKey().publicKey);

  it('gives each entry the verdict verifyLockEntry gives it, in order, with far more entries than signatures in flight', async () => {
    const forger = generateSigningKey();
    const kinds = ['ok', 'missing', 'changed', 'unknown-key', 'forged', 'bad-base64'] as const;
    const entries: LockEntry[] = [];
    const contents = new Map<LockEntry, Uint8Array | undefined>();
    for (let i = 0; i < 600; i++) {
      const kind = kinds[i % kinds.length];
      const path = `prompts/p${i}.prompt`;
      const text = `hello ${i}\n`;
      let release = releaseFor(path, text, {}, kind === 'unknown-key' ? forger : undefined);
      if (kind === 'forged') release = signedWith({ ...release, name: `other${i}` }, forger);
      if (kind === 'forged') release = { ...release, keyId: testKey().keyId };
      if (kind === 'bad-base64') release = { ...release, signature: 'not a signature' };
      const entry = { release, line: i + 1, column: 5 };
      entries.push(entry);
      contents.set(entry, kind === 'missing' ? undefined : bytes(kind === 'changed' ? `${text}!` : text));
    }
    const verdicts = await verifyLockEntries(entries, (e) => contents.get(e), trusted);
    assert.deepEqual(
      verdicts,
      entries.map((e) => verifyLockEntry(e, contents.get(e), trusted)),
    );
    assert.deepEqual(
      verdicts.slice(0, 6).map((v) => (v.ok ? 'ok' : v.kind)),
      ['ok', 'content-missing', 'hash-mismatch', 'unknown-key', 'bad-signature', 'bad-signature'],
    );
  });
});
