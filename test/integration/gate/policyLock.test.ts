import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { contentSha256 } from '../../../src/core/release/contentHash';
import { POLICY_LOCK_PATH, serializePolicyRecord, signPolicyRecord } from '../../../src/core/release/policyLock';
import type { SigningKey } from '../../../src/core/release/signingKeys';
import { ensureBuilt, runCli } from '../../support/cli';
import { accessFile, gateRepo, generateKey, type GateRepo } from '../../support/gateRepo';

const ACCESS = '.promptops/access.yaml';

/** The record the server would sign for `content` applied as version `serial`. */
function policyLock(content: string, serial: number, key: SigningKey): string {
  return serializePolicyRecord(
    signPolicyRecord(
      {
        serial,
        commit: '0123456789abcdef0123456789abcdef01234567',
        contentHash: contentSha256(content),
        appliedBy: 'root',
        approvals: ['bob'],
        appliedAt: '2026-01-01T00:00:00.000Z',
        keyId: key.keyId,
      },
      key.privateKey,
    ),
  );
}

/**
 * `verify --base` and the policy lock, in a real repository: once the base holds a signed
 * policy record (or its access file asks for policy approvals), an admin's direct commit to
 * the access file (pushed with --no-verify, say) fails verify, naming the file.
 */
describe('promptops verify --base: changes to the access file need a server-signed policy record', () => {
  let repo: GateRepo;
  before(ensureBuilt);
  afterEach(() => rmSync(repo.dir, { recursive: true, force: true }));

  const verify = (base: string) => runCli(['verify', '--base', base], repo.dir);
  const head = () => repo.git('rev-parse', 'HEAD').trim();

  /** A repository whose base already holds the signed record of its access file (serial 1). */
  function withLock(extra = ''): { base: string; access: string } {
    repo = gateRepo();
    const access = accessFile(repo.key, extra);
    repo.commitAs('root@example.com', { [ACCESS]: access, [POLICY_LOCK_PATH]: policyLock(access, 1, repo.key) });
    return { base: head(), access };
  }

  it("keeps today's behaviour without a lock and without policyApprovals: an admin's commit passes", () => {
    repo = gateRepo();
    const base = head();
    repo.commitAs('root@example.com', { [ACCESS]: accessFile(repo.key, 'protected: ["prompts/shared/**"]\n') });
    const r = verify(base);
    assert.equal(r.stdout, '');
    assert.equal(r.status, 0);
  });

  it('refuses an admin commit changing the access file without a signed record when the base asks for policy approvals', () => {
    repo = gateRepo();
    repo.commitAs('root@example.com', { [ACCESS]: accessFile(repo.key, 'policyApprovals: { required: 1 }\n') });
    const base = head();
    repo.commitAs('root@example.com', {
      [ACCESS]: accessFile(repo.key, 'policyApprovals: { required: 0 }\n'),
    });
    const r = verify(base);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^\.promptops\/access\.yaml: changed in this range without a server-signed policy record \(the base's access file asks for 1 approval of policy changes\)/m,
    );
  });

  it('accepts the change committed with a newer signed record of exactly that content', () => {
    const { base } = withLock();
    const next = accessFile(repo.key, 'protected: ["prompts/shared/**"]\n');
    repo.commitAs('root@example.com', { [ACCESS]: next }, 'the reviewed change');
    repo.commitAs('root@example.com', { [POLICY_LOCK_PATH]: policyLock(next, 2, repo.key) }, 'its signed record');
    const r = verify(base);
    assert.equal(r.stdout, '');
    assert.equal(r.status, 0);
  });

  it('refuses a direct commit to the access file once a lock exists, naming the file', () => {
    const { base } = withLock();
    repo.commitAs('root@example.com', { [ACCESS]: accessFile(repo.key, 'protected: ["prompts/**"]\n') });
    const r = verify(base);
    assert.equal(r.status, 1);
    assert.match(
      r.stdout,
      /^\.promptops\/access\.yaml: changed in this range to content \(sha256 [0-9a-f]{12}…\) that the server did not apply/m,
    );
  });

  it('refuses a replayed older record (serial must grow) and a record signed by another key', () => {
    const { access } = withLock();
    const laterAccess = accessFile(repo.key, 'protected: ["prompts/shared/**"]\n');
    repo.commitAs('root@example.com', {
      [ACCESS]: laterAccess,
      [POLICY_LOCK_PATH]: policyLock(laterAccess, 2, repo.key),
    });
    const base = head();
    // Back to the first version with its (genuine, older) record.
    repo.commitAs('root@example.com', { [ACCESS]: access, [POLICY_LOCK_PATH]: policyLock(access, 1, repo.key) });
    const replay = verify(base);
    assert.equal(replay.status, 1);
    assert.match(replay.stdout, /^\.promptops\/policy\.lock: serial 1 is not newer than the base's 2/m);
    repo.git('reset', '-q', '--hard', base);
    const forged = accessFile(repo.key, 'protected: []\n');
    repo.commitAs('root@example.com', { [ACCESS]: forged, [POLICY_LOCK_PATH]: policyLock(forged, 3, generateKey()) });
    const r = verify(base);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /^\.promptops\/policy\.lock: its signature does not verify against the trusted key/m);
    assert.match(r.stdout, /^\.promptops\/access\.yaml: changed in this range without a server-signed policy record/m);
  });
});
