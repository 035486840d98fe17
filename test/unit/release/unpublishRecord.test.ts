import assert from 'node:assert/strict';
import { lockRegressions, retiredEntries, unpublishRegressions } from '../../../src/core/release/lockFreshness';
import { trustedKeys } from '../../../src/core/release/lockEntryVerdict';
import { parseReleaseLock, serializeReleaseLock } from '../../../src/core/release/releaseLock';
import { generateSigningKey } from '../../../src/core/release/signingKeys';
import {
  parseUnpublished,
  serializeUnpublished,
  trustedUnpublishes,
  upsertUnpublish,
} from '../../../src/core/release/unpublishedFile';
import { signUnpublish, type SignedUnpublish } from '../../../src/core/release/unpublishRecord';
import { releaseOf, REPLY } from '../../support/gateRepo';

const key = generateSigningKey();
const PATH = 'prompts/support/reply.prompt';
const first = releaseOf(PATH, REPLY, key, { reviewId: '1', publishedAt: '2025-03-02T09:00:00.000Z' });
const later = releaseOf(PATH, REPLY, key, { reviewId: '2', publishedAt: '2025-05-02T09:00:00.000Z' });
const entries = (...releases: (typeof first)[]) => parseReleaseLock(serializeReleaseLock(releases)).entries!;

function recordOf(release: typeof first, unpublishedAt: string, by = key): SignedUnpublish {
  return signUnpublish(
    {
      path: release.path,
      env: release.env,
      name: release.name,
      workspace: release.workspace,
      reviewId: release.reviewId,
      sha256: release.sha256,
      publishedAt: release.publishedAt,
      unpublishedBy: 'carol',
      unpublishedAt,
      keyId: by.keyId,
    },
    by.privateKey,
  );
}
const byKey = (...records: SignedUnpublish[]) => new Map(records.map((r) => [`${r.path}\0${r.env}`, r]));

describe('unpublish records', () => {
  it('round-trip through .promptops/unpublished.yaml, one per path and env (a newer replaces the older)', () => {
    const a = recordOf(first, '2025-04-01T00:00:00.000Z');
    const b = recordOf(later, '2025-06-01T00:00:00.000Z');
    const text = upsertUnpublish(serializeUnpublished([a]), b);
    assert.deepEqual(
      parseUnpublished(text).records!.map((r) => r.record),
      [b],
    );
    assert.deepEqual(trustedUnpublishes(text, trustedKeys(key.publicKey)).problems, []);
  });

  it('locate a bad field, and vouch for nothing when signed by another key or edited', () => {
    const bad = parseUnpublished('version: 1\nunpublished:\n  - path: ../x\n');
    assert.equal(bad.records, undefined);
    assert.ok(
      bad.diagnostics.some((d) => d.line === 3 && d.field.endsWith('path')),
      JSON.stringify(bad.diagnostics),
    );
    const other = generateSigningKey();
    const forged = trustedUnpublishes(
      serializeUnpublished([recordOf(first, '2025-04-01T00:00:00.000Z', other)]),
      trustedKeys(key.publicKey),
    );
    assert.equal(forged.records.size, 0);
    assert.match(forged.problems[0].reason, /not trusted/);
    const edited = serializeUnpublished([{ ...recordOf(first, '2025-04-01T00:00:00.000Z'), unpublishedBy: 'mallory' }]);
    assert.match(trustedUnpublishes(edited, trustedKeys(key.publicKey)).problems[0].reason, /edited or forged/);
  });

  it('let exactly the retired entry leave the lock; not a later publish, and not without a record', () => {
    const record = recordOf(first, '2025-04-01T00:00:00.000Z');
    assert.deepEqual(lockRegressions(entries(first), entries(), byKey(record)), []);
    assert.equal(lockRegressions(entries(first), entries())[0].kind, 'removed');
    // The old record replayed against the newer publish does not retire it.
    assert.equal(lockRegressions(entries(later), entries(), byKey(record))[0].kind, 'removed');
    // A record dated before the release it names retires nothing.
    assert.equal(
      lockRegressions(entries(first), entries(), byKey(recordOf(first, '2025-03-01T00:00:00.000Z')))[0].kind,
      'removed',
    );
  });

  it('refuse a retired release brought back, pass a newer publish, and never let a record go', () => {
    const record = recordOf(first, '2025-04-01T00:00:00.000Z');
    assert.equal(retiredEntries(entries(first), byKey(record))[0].kind, 'retired');
    assert.deepEqual(retiredEntries(entries(later), byKey(record)), []);
    assert.deepEqual(unpublishRegressions(byKey(record), byKey(record)), []);
    assert.match(unpublishRegressions(byKey(record), new Map())[0].message, /removed/);
  });
});
