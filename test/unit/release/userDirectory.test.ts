import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { signValue } from '../../../src/core/release/domainSignature';
import { DIRECTORY_SIGNATURE_DOMAIN } from '../../../src/core/release/userDirectory';
import { sshPublicKeyLine } from '../../support/sshKeys';
import {
  generateSigningKey,
  parseUserDirectory,
  serializeUserDirectory,
  signRelease,
  signUserDirectory,
  userByEmail,
  userBySigningKey,
  userDirectoryValue,
  parseSshSigningKey,
  fingerprintOfKeyLine,
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
      text.replace(/ {2}- username: bob\n.*\n.*\n.*\n/, ''),
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
      '.promptops/directory.yaml:13:11 users[1].role: unknown org role "owner"; expected one of viewer, editor, admin',
    ]);
    assert.deepEqual(errors(text.replace('[bob@example.com]', '[alice@example.com]')), [
      '.promptops/directory.yaml:14:14 users[1].emails[0]: email alice@example.com already belongs to user "alice"',
    ]);
    assert.deepEqual(errors(text.replace(/signature: .*\n/, '')), [
      '.promptops/directory.yaml:3:1 missing field "signature"',
    ]);
  });

  it('carries signing keys and a serial under the signature (version 2); maps a key fingerprint to its user', () => {
    const aliceKey = sshPublicKeyLine('alice@laptop').split(' ').slice(0, 2).join(' ');
    const signed = signUserDirectory(
      { ...directory, serial: 7, users: [{ ...directory.users[1], signingKeys: [aliceKey] }, directory.users[0]] },
      key.privateKey,
    );
    const text = serializeUserDirectory(signed);
    assert.match(text, /^version: 2\nserial: 7\n/m);
    const parsed = parseUserDirectory(text);
    assert.deepEqual(parsed.diagnostics, []);
    assert.ok(parsed.directory && verifyUserDirectorySignature(parsed.directory, key.publicKey));
    assert.equal(userBySigningKey(parsed.directory, fingerprintOfKeyLine(aliceKey)!)?.username, 'alice');
    assert.equal(userBySigningKey(parsed.directory, fingerprintOfKeyLine(sshPublicKeyLine())!), undefined);
    const other = sshPublicKeyLine().split(' ').slice(0, 2).join(' ');
    for (const edited of [
      text.replace('serial: 7', 'serial: 8'),
      text.replace(aliceKey, other),
      text.replace('signingKeys: []', `signingKeys: ["${other}"]`),
    ]) {
      assert.notEqual(edited, text);
      const again = parseUserDirectory(edited);
      assert.ok(again.directory, again.diagnostics.map(formatDiagnostic).join('\n'));
      assert.equal(verifyUserDirectorySignature(again.directory, key.publicKey), false, edited);
    }
    const errors = (t: string) => parseUserDirectory(t).diagnostics.map(formatDiagnostic);
    assert.deepEqual(errors(text.replace('signingKeys: []', `signingKeys: ["${aliceKey}"]`)), [
      `.promptops/directory.yaml:15:19 users[1].signingKeys[0]: signing key ${fingerprintOfKeyLine(aliceKey)} already belongs to user "alice"`,
    ]);
    assert.deepEqual(errors(text.replace('signingKeys: []', 'signingKeys: ["ssh-rsa AAAAB3Nz"]')), [
      '.promptops/directory.yaml:15:19 users[1].signingKeys[0]: unsupported key type "ssh-rsa": only ssh-ed25519 keys are accepted (make one with: ssh-keygen -t ed25519)',
    ]);
    assert.deepEqual(errors(text.replace('serial: 7', 'serial: -1')), [
      '.promptops/directory.yaml:4:9 serial: "serial" must be a whole number ≥ 0, not the number -1',
    ]);
  });

  it('still reads and verifies a version 1 directory (no keys, serial 0)', () => {
    const v1 = { ...directory, version: 1 as const };
    const signature = signValue(DIRECTORY_SIGNATURE_DOMAIN, userDirectoryValue(v1), key.privateKey);
    const text = serializeUserDirectory({ ...v1, signature });
    assert.match(text, /^version: 1\nissuedAt/m);
    const parsed = parseUserDirectory(text);
    assert.ok(parsed.directory, parsed.diagnostics.map(formatDiagnostic).join('\n'));
    assert.equal(parsed.directory.serial, 0);
    assert.equal(verifyUserDirectorySignature(parsed.directory, key.publicKey), true);
  });
});

describe('SSH signing keys (parseSshSigningKey)', () => {
  it('refuses garbage with a sentence saying what is wrong', () => {
    const problem = (t: string) => {
      const r = parseSshSigningKey(t);
      return 'problem' in r ? r.problem : 'accepted';
    };
    assert.match(problem(''), /empty/);
    assert.match(problem('hello world'), /unsupported key type "hello"/);
    assert.match(problem('ssh-ed25519 not*base64'), /expected the key in base64/);
    assert.match(problem('ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA=='), /not an ed25519 public key/);
    assert.match(problem(`${sshPublicKeyLine()}\n${sshPublicKeyLine()}`), /one line/);
  });
});
