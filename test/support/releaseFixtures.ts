import {
  contentSha256,
  generateSigningKey,
  signRelease,
  type ReleaseRecord,
  type SignedRelease,
  type SigningKey,
} from '../../src/core/release';

/** One key per test run is plenty; generating is cheap but not free. */
let shared: SigningKey | undefined;
export function testKey(): SigningKey {
  shared ??= generateSigningKey();
  return shared;
}

export function releaseFor(
  path: string,
  content: string,
  fields: Partial<ReleaseRecord> = {},
  key: SigningKey = testKey(),
): SignedRelease {
  const record: ReleaseRecord = {
    path,
    name: path.replace(/^.*\//, '').replace(/\.prompt.*$|\.prompty$/, ''),
    workspace: 'default',
    env: 'prod',
    sha256: contentSha256(content),
    reviewId: 'r-1',
    author: 'alice',
    approvers: ['bob'],
    publisher: 'carol',
    publishedAt: '2025-03-01T10:00:00.000Z',
    keyId: key.keyId,
    ...fields,
  };
  return signRelease(record, key.privateKey);
}

export function signedWith(record: ReleaseRecord, key: SigningKey): SignedRelease {
  return signRelease(record, key.privateKey);
}
