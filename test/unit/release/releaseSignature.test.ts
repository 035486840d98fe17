import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  canonicalJson,
  exportPublicKeyBase64,
  exportPublicKeyPem,
  generateSigningKey,
  importPublicKey,
  keyIdOf,
  pickRecord,
  signedPayload,
  signRelease,
  verifyReleaseSignature,
  releasePayload,
  releaseRecordValue,
  RELEASE_SIGNATURE_DOMAIN,
} from '../../../src/core/release';
import { releaseFor, testKey } from '../../support/releaseFixtures';

describe('release signatures', () => {
  it('verifies a record signed by the same key and refuses any changed field', () => {
    const signed = releaseFor('prompts/a.prompt', 'hello');
    const { publicKey } = testKey();
    assert.equal(verifyReleaseSignature(signed, signed.signature, publicKey), true);
    const tampered = [
      { ...signed, sha256: signed.sha256.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
      { ...signed, env: 'dev' },
      { ...signed, approvers: ['bob', 'mallory'] },
      { ...signed, approvers: [] },
      { ...signed, publisher: 'mallory' },
      { ...signed, path: 'prompts/b.prompt' },
      { ...signed, publishedAt: '2025-03-01T10:00:00.001Z' },
    ];
    for (const t of tampered)
      assert.equal(verifyReleaseSignature(t, signed.signature, publicKey), false, JSON.stringify(t));
  });

  it('refuses a signature made by another key (a forged release)', () => {
    const forger = generateSigningKey();
    const forged = signRelease(pickRecord(releaseFor('prompts/a.prompt', 'hello')), forger.privateKey);
    assert.equal(verifyReleaseSignature(forged, forged.signature, testKey().publicKey), false);
    assert.equal(verifyReleaseSignature(forged, forged.signature, forger.publicKey), true);
  });

  it('returns false, not an exception, for garbage signatures', () => {
    const signed = releaseFor('prompts/a.prompt', 'hello');
    for (const bad of ['', 'not base64!', 'A'.repeat(88), signed.signature.slice(0, 80)]) {
      assert.equal(verifyReleaseSignature(signed, bad, testKey().publicKey), false);
    }
  });

  it('signs a versioned, domain-prefixed canonical payload that ignores field order and extra fields', () => {
    const signed = releaseFor('prompts/a.prompt', 'hello');
    const payload = signedPayload(RELEASE_SIGNATURE_DOMAIN, releaseRecordValue(signed)).toString('utf8');
    assert.ok(payload.startsWith('promptops-release-v1\n{"approvers":["bob"],"author":"alice","env":"prod",'));
    assert.ok(!payload.includes('signature'));
    assert.ok(!/\s/.test(payload.slice(RELEASE_SIGNATURE_DOMAIN.length)));
    const reordered = Object.fromEntries(Object.entries(pickRecord(signed)).reverse()) as typeof signed;
    assert.equal(
      verifyReleaseSignature({ ...reordered, extra: 'x' } as typeof signed, signed.signature, testKey().publicKey),
      true,
    );
  });

  it('the release payload written field by field from the definition is byte for byte the canonical JSON of the record', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.string(), { maxLength: 3 }), fc.string(), (name, approvers, reviewId) => {
        const record = pickRecord({ ...releaseFor('prompts/a.prompt', 'x'), name, approvers, reviewId });
        assert.deepEqual(releasePayload(record), signedPayload(RELEASE_SIGNATURE_DOMAIN, releaseRecordValue(record)));
      }),
      { numRuns: 200 },
    );
  });

  it('canonical JSON is independent of key order for any value', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        (obj) => {
          const reversed = Object.fromEntries(Object.entries(obj).reverse());
          assert.equal(canonicalJson(obj), canonicalJson(reversed));
          assert.deepEqual(JSON.parse(canonicalJson(obj)), JSON.parse(JSON.stringify(obj)));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('imports the public key from PEM and from base64 SPKI, with the same key id', () => {
    const { publicKey, keyId } = testKey();
    assert.match(keyId, /^[0-9a-f]{16}$/);
    const fromPem = importPublicKey(exportPublicKeyPem(publicKey));
    const b64 = exportPublicKeyBase64(publicKey);
    const fromB64 = importPublicKey(`  ${b64.slice(0, 20)}\n  ${b64.slice(20)}\n`);
    assert.equal(keyIdOf(fromPem), keyId);
    assert.equal(keyIdOf(fromB64), keyId);
    assert.throws(() => importPublicKey('hello'), /neither a PEM public key nor base64 SPKI/);
  });
});
