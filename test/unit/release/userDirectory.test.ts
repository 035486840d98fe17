import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import {
  generateSigningKey,
  parseUserDirectory,
  serializeUserDirectory,
  signRelease,
  signUserDirectory,
  userByEmail,
  verifyUserDirectorySignature,
  type UserDirectory,
} from '../../../src/core/release';

const key = generateSigningKey();
const directory: UserDirectory = {
  issuedAt: '2025-03-01T10:00:00.000Z',
  keyId: key.keyId,
  users: [
    { username: 'bob', role: 'viewer', emails: ['Bob@Example.com'] },
    { username: 'alice', role: 'editor', emails: ['alice@example.com', 'alice@users.noreply.github.com'] },
  ],
};

describe('user directory (.promptops/directory.yaml)', () => {
  it('round-trips a signed directory and verifies its signature', () => {
    const signed = signUserDirectory(directory, key.privateKey);
    const text = serializeUserDirectory(signed);
    const parsed = parseUserDirectory(text);
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(parsed.directory, signed);
    assert.equal(verifyUserDirectorySignature(parsed.directory, key.publicKey), true);
    assert.equal(serializeUserDirectory(parsed.directory), text);
  });

  it('maps a git author email to its user without regard to case', () => {
    const signed = signUserDirectory(directory, key.privateKey);
    assert.equal(userByEmail(signed, 'BOB@example.COM')?.username, 'bob');
    assert.equal(userByEmail(signed, 'alice@users.noreply.github.com')?.role, 'editor');
    assert.equal(userByEmail(signed, 'mallory@example.com'), undefined);
  });

  it('a promoted role, an added email, a removed user or another key all break the signature', () => {
    const signed = signUserDirectory(directory, key.privateKey);
    const text = serializeUserDirectory(signed);
    const edits = [
      text.replace('role: viewer', 'role: admin'),
      text.replace('[bob@example.com]', '[bob@example.com, mallory@example.com]'),
      text.replace(/ {2}- username: bob\n.*\n.*\n/, ''),
    ];
    for (const edited of edits) {
      assert.notEqual(edited, text);
      const parsed = parseUserDirectory(edited);
      assert.ok(parsed.directory, parsed.diagnostics.map(formatDiagnostic).join('\n'));
      assert.equal(verifyUserDirectorySignature(parsed.directory, key.publicKey), false, edited);
    }
    assert.equal(verifyUserDirectorySignature(signed, generateSigningKey().publicKey), false);
  });

  it('a release signature can never pass as a directory signature (separate domains)', () => {
    const release = signRelease(
      {
        path: 'a.prompt',
        name: 'a',
        workspace: 'default',
        env: 'dev',
        sha256: '0'.repeat(64),
        reviewId: '1',
        author: 'a',
        approvers: [],
        publisher: 'a',
        publishedAt: directory.issuedAt,
        keyId: key.keyId,
      },
      key.privateKey,
    );
    assert.equal(verifyUserDirectorySignature({ ...directory, signature: release.signature }, key.publicKey), false);
  });

  it('locates problems: unknown role, an email owned twice, a missing signature', () => {
    const text = serializeUserDirectory(signUserDirectory(directory, key.privateKey));
    const errors = (t: string) => parseUserDirectory(t).diagnostics.map(formatDiagnostic);
    assert.deepEqual(errors(text.replace('role: viewer', 'role: owner')), [
      '.promptops/directory.yaml:11:11 users[1].role: unknown org role "owner"; expected one of viewer, editor, admin',
    ]);
    assert.deepEqual(errors(text.replace('[bob@example.com]', '[alice@example.com]')), [
      '.promptops/directory.yaml:12:14 users[1].emails[0]: email alice@example.com already belongs to user "alice"',
    ]);
    assert.deepEqual(errors(text.replace(/signature: .*\n/, '')), [
      '.promptops/directory.yaml:3:1 missing field "signature"',
    ]);
  });
});
