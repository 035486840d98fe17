import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { ACCESS_FILE_PATH } from '../../../src/core/access/accessPolicy';
import { contentSha256 } from '../../../src/core/release/contentHash';
import { signValue } from '../../../src/core/release/domainSignature';
import { trustedKeys } from '../../../src/core/release/lockEntryVerdict';
import { policyChangeProblems, type PolicyChangeInput } from '../../../src/core/release/policyChangeProblems';
import {
  parsePolicyRecord,
  POLICY_LOCK_PATH,
  serializePolicyRecord,
  signPolicyRecord,
  verifyPolicyRecordSignature,
  type PolicyRecord,
} from '../../../src/core/release/policyLock';
import { DIRECTORY_SIGNATURE_DOMAIN } from '../../../src/core/release/userDirectory';
import { generateSigningKey } from '../../../src/core/release';

const key = generateSigningKey();
const other = generateSigningKey();
// All digits: a sha YAML would read as a number unless quoted.
const COMMIT = '1234567890'.repeat(4);
const OLD = 'version: 1\n';
const NEW = 'version: 1\npolicyApprovals: { required: 1 }\n';
const NEWER = 'version: 1\npolicyApprovals: { required: 2 }\n';

function lockFor(content: string, serial: number, signer = key): string {
  const record: PolicyRecord = {
    serial,
    commit: COMMIT,
    contentHash: contentSha256(content),
    appliedBy: 'alice',
    approvals: ['carol', 'bob'],
    appliedAt: '2026-01-02T03:04:05.000Z',
    keyId: key.keyId,
  };
  return serializePolicyRecord(signPolicyRecord(record, signer.privateKey));
}

function judge(input: Partial<PolicyChangeInput>): string[] {
  return policyChangeProblems({
    baseAccess: OLD,
    headAccess: OLD,
    baseLock: undefined,
    headLock: undefined,
    basePolicyApprovals: undefined,
    trusted: trustedKeys(key.publicKey),
    ...input,
  }).map((p) => `${p.file}: ${p.reason}`);
}

describe('policy lock (.promptops/policy.lock)', () => {
  it('round-trips a signed record, approvals sorted, and verifies its signature', () => {
    const parsed = parsePolicyRecord(lockFor(NEW, 3));
    assert.deepEqual(parsed.diagnostics, []);
    const record = parsed.record!;
    assert.equal(record.serial, 3);
    assert.equal(record.commit, COMMIT);
    assert.equal(record.contentHash, contentSha256(NEW));
    assert.deepEqual(record.approvals, ['bob', 'carol']);
    assert.ok(verifyPolicyRecordSignature(record, key.publicKey));
    assert.ok(!verifyPolicyRecordSignature(record, other.publicKey));
  });

  it('any changed field breaks the signature', () => {
    const record = parsePolicyRecord(lockFor(NEW, 3)).record!;
    for (const changed of [
      { ...record, serial: 9 },
      { ...record, contentHash: contentSha256(NEWER) },
      { ...record, approvals: ['bob', 'carol', 'mallory'] },
      { ...record, appliedBy: 'mallory' },
      { ...record, commit: 'd'.repeat(40) },
    ])
      assert.ok(!verifyPolicyRecordSignature(changed, key.publicKey));
  });

  it('a signature over another kind of document never passes as a policy record', () => {
    const record = parsePolicyRecord(lockFor(NEW, 3)).record!;
    const { signature: _omit, ...unsigned } = record;
    const forged = { ...record, signature: signValue(DIRECTORY_SIGNATURE_DOMAIN, { ...unsigned }, key.privateKey) };
    assert.ok(!verifyPolicyRecordSignature(forged, key.publicKey));
  });

  it('locates problems: bad serial, short commit, missing signature', () => {
    const text = lockFor(NEW, 3)
      .replace('serial: 3', 'serial: zero')
      .replace(`commit: "${COMMIT}"`, 'commit: abc123')
      .replace(/^signature: .*$/m, '');
    const lines = parsePolicyRecord(text).diagnostics.map(formatDiagnostic);
    assert.ok(
      lines.some((l) => l.startsWith(`${POLICY_LOCK_PATH}:`) && /serial/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /commit.*40 lowercase hex/.test(l)),
      lines.join('\n'),
    );
    assert.ok(
      lines.some((l) => /missing field "signature"/.test(l)),
      lines.join('\n'),
    );
  });
});

describe('verify --base: a changed access file must be a version the server applied', () => {
  it('without a lock at the base and without policyApprovals, nothing is required (the commit checks judge it)', () => {
    assert.deepEqual(judge({ headAccess: NEW }), []);
  });

  it('when the base asks for policy approvals, an access file changed without a signed record is refused, naming the file', () => {
    const problems = judge({ headAccess: NEWER, basePolicyApprovals: 1 });
    assert.equal(problems.length, 1);
    assert.match(
      problems[0],
      new RegExp(
        `^${ACCESS_FILE_PATH.replace(/\./g, '\\.')}: changed in this range without a server-signed policy record`,
      ),
    );
    assert.match(problems[0], /asks for 1 approval of policy changes/);
  });

  it('once the base holds a lock, a change needs a newer signed record of exactly that content', () => {
    const baseLock = lockFor(OLD, 1);
    assert.deepEqual(judge({ baseLock, headAccess: NEW, headLock: lockFor(NEW, 2) }), []);
    // The access file edited, the lock left alone.
    assert.match(judge({ baseLock, headLock: baseLock, headAccess: NEW }).join('\n'), /that the server did not apply/);
    // A lock for other content.
    assert.match(judge({ baseLock, headAccess: NEWER, headLock: lockFor(NEW, 2) }).join('\n'), /did not apply/);
  });

  it('an older record committed again (replay) is refused: the serial must grow', () => {
    const problems = judge({
      baseAccess: NEWER,
      baseLock: lockFor(NEWER, 5),
      headAccess: NEW,
      headLock: lockFor(NEW, 4),
    });
    assert.ok(
      problems.some((p) => p.startsWith(`${POLICY_LOCK_PATH}: serial 4 is not newer than the base's 5`)),
      problems.join('\n'),
    );
    assert.ok(
      problems.some((p) => p.startsWith(`${ACCESS_FILE_PATH}:`)),
      problems.join('\n'),
    );
  });

  it('a record signed by another key, or edited after signing, vouches for nothing', () => {
    const forged = judge({ headAccess: NEW, headLock: lockFor(NEW, 2, other) });
    assert.ok(
      forged.some((p) => p.startsWith(`${POLICY_LOCK_PATH}: its signature does not verify`)),
      forged.join('\n'),
    );
    assert.ok(
      forged.some((p) => p.startsWith(`${ACCESS_FILE_PATH}:`)),
      forged.join('\n'),
    );
    const edited = lockFor(NEW, 2).replace('approvals: [bob, carol]', 'approvals: [bob, carol, dave]');
    assert.ok(judge({ headAccess: NEW, headLock: edited }).some((p) => /signature does not verify/.test(p)));
  });

  it('removing the lock is refused', () => {
    const baseLock = lockFor(OLD, 1);
    const problems = judge({ baseLock, headLock: undefined });
    assert.ok(
      problems.some((p) => p.startsWith(`${POLICY_LOCK_PATH}: was removed`)),
      problems.join('\n'),
    );
  });
});
