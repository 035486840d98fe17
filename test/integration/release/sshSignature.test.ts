import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkSshSignature,
  commitSignature,
  fingerprintOfKeyLine,
  parseSshSignature,
  splitSignedCommit,
} from '../../../src/core/release';
import { parseSshSigningKey, sshFingerprint } from '../../../src/core/release/sshSigningKey';

/** Signatures made by the real ssh-keygen and git, checked in-process as `ssh-keygen -Y verify -n git` would. */
describe('SSH commit signatures (in-process)', () => {
  let dir: string;
  const keys: Record<string, { path: string; line: string; fingerprint: string }> = {};
  const make = (name: string, type: string, bits?: string) => {
    const path = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', type, ...(bits ? ['-b', bits] : []), '-N', '', '-C', name, '-f', path]);
    const line = readFileSync(`${path}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    const fingerprint = execFileSync('ssh-keygen', ['-l', '-f', `${path}.pub`], { encoding: 'utf8' }).split(' ')[1];
    keys[name] = { path, line, fingerprint };
  };
  /** `ssh-keygen -Y sign` over `message` in `namespace`: the armored signature. */
  const sign = (key: string, message: string, namespace = 'git') => {
    const file = join(dir, `msg-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, message);
    execFileSync('ssh-keygen', ['-q', '-Y', 'sign', '-n', namespace, '-f', keys[key].path, file], { stdio: 'pipe' });
    return readFileSync(`${file}.sig`, 'utf8');
  };
  const only = (...names: string[]) => new Set(names.map((n) => keys[n].fingerprint));
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: 'pipe' });

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-sshsig-'));
    make('alice', 'ed25519');
    make('bob', 'ed25519');
    make('ecdsa', 'ecdsa', '256');
    make('ecdsa384', 'ecdsa', '384');
    make('rsa', 'rsa', '3072');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a signature by a registered key, with the fingerprint ssh-keygen -l shows', () => {
    const verdict = checkSshSignature(Buffer.from('hello\n'), sign('alice', 'hello\n'), only('alice'));
    assert.deepEqual(verdict, { status: 'good', fingerprint: keys.alice.fingerprint });
    assert.equal(fingerprintOfKeyLine(keys.alice.line), keys.alice.fingerprint);
  });

  it('ecdsa-sha2-nistp256/384 and rsa-sha2-512 (what ssh-keygen makes) verify too', () => {
    for (const name of ['ecdsa', 'ecdsa384', 'rsa']) {
      const armored = sign(name, 'payload');
      assert.equal(checkSshSignature(Buffer.from('payload'), armored, only(name)).status, 'good', name);
      assert.equal(checkSshSignature(Buffer.from('payloaD'), armored, only(name)).status, 'bad', name);
    }
  });

  it('a key registered to nobody is unknown-key, naming its fingerprint', () => {
    const verdict = checkSshSignature(Buffer.from('x'), sign('alice', 'x'), only('bob'));
    assert.equal(verdict.status, 'unknown-key');
    assert.equal(verdict.fingerprint, keys.alice.fingerprint);
  });

  it('refuses a changed payload, a changed signature, and another namespace', () => {
    const armored = sign('alice', 'the payload');
    assert.equal(checkSshSignature(Buffer.from('the payloaD'), armored, only('alice')).status, 'bad');
    const parsed = parseSshSignature(armored);
    assert.ok('signature' in parsed);
    const tampered = Buffer.from(parsed.signature.signature);
    tampered[tampered.length - 1] ^= 1;
    assert.equal(
      checkSshSignature(
        Buffer.from('the payload'),
        rearmor(armored, parsed.signature.signature, tampered),
        only('alice'),
      ).status,
      'bad',
    );
    const other = checkSshSignature(Buffer.from('m'), sign('alice', 'm', 'file'), only('alice'));
    assert.equal(other.status, 'bad');
    assert.match(other.detail ?? '', /namespace "file"/);
  });

  it("refuses a signature that names someone else's registered key (bob's key in the blob, alice's signature)", () => {
    const armored = sign('alice', 'm');
    const parsed = parseSshSignature(armored);
    assert.ok('signature' in parsed);
    const bobBlob = Buffer.from(keys.bob.line.split(' ')[1], 'base64');
    const forged = rearmor(armored, parsed.signature.publicKey, bobBlob);
    const verdict = checkSshSignature(Buffer.from('m'), forged, only('alice', 'bob'));
    assert.equal(verdict.status, 'bad');
    assert.equal(verdict.fingerprint, sshFingerprint(bobBlob));
  });

  it('a truncated or foreign armor is bad or unverifiable, never good', () => {
    const armored = sign('alice', 'm');
    const lines = armored.trim().split('\n');
    const cut = [...lines.slice(0, 2), lines[lines.length - 1]].join('\n') + '\n';
    assert.equal(checkSshSignature(Buffer.from('m'), cut, only('alice')).status, 'bad');
    const pgp = '-----BEGIN PGP SIGNATURE-----\n\niQEz\n-----END PGP SIGNATURE-----\n';
    assert.deepEqual(checkSshSignature(Buffer.from('m'), pgp, only('alice')), {
      status: 'unverifiable',
      fingerprint: '',
      detail: 'an OpenPGP (gpg) signature',
    });
  });

  describe('commits signed by git (gpg.format=ssh)', () => {
    let repo: string;
    const commit = (key: string | undefined, message: string) => {
      writeFileSync(join(repo, 'f.txt'), `${message}\n`);
      git(repo, 'add', '-A');
      const signing = key ? ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${keys[key].path}`] : [];
      git(repo, ...signing, 'commit', ...(key ? ['-S'] : []), '-qm', message);
      return execFileSync('git', ['cat-file', 'commit', 'HEAD'], { cwd: repo });
    };
    before(() => {
      repo = join(dir, 'repo');
      execFileSync('git', ['init', '-q', repo]);
      git(repo, 'config', 'user.email', 'a@example.com');
      git(repo, 'config', 'user.name', 'a');
    });

    it('git -S with ed25519, ecdsa and rsa keys: good for the registered key, unknown for others', () => {
      for (const name of ['alice', 'ecdsa', 'rsa']) {
        const raw = commit(name, `by ${name}\n\ngpgsig in the body is the message, not a header\n gpgsig too`);
        assert.deepEqual(commitSignature(raw, only(name)), { status: 'good', fingerprint: keys[name].fingerprint });
        assert.equal(commitSignature(raw, only('bob')).status, 'unknown-key');
      }
    });

    it('the payload is what git signed: ssh-keygen accepts our split of a git-signed commit', () => {
      const raw = commit('alice', 'check the split');
      const { payload, signature } = splitSignedCommit(raw);
      assert.ok(signature?.startsWith('-----BEGIN SSH SIGNATURE-----'));
      assert.ok(!payload.toString('utf8').includes('gpgsig'));
      writeFileSync(join(dir, 'payload'), payload);
      writeFileSync(join(dir, 'payload.sig'), signature!);
      execFileSync('ssh-keygen', ['-Y', 'check-novalidate', '-n', 'git', '-s', join(dir, 'payload.sig')], {
        input: payload,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    });

    it('unsigned, a message changed after signing, and a header changed after signing', () => {
      assert.deepEqual(commitSignature(commit(undefined, 'plain'), only('alice')), {
        status: 'unsigned',
        fingerprint: '',
      });
      const raw = commit('alice', 'signed').toString('utf8');
      assert.equal(commitSignature(Buffer.from(raw), only('alice')).status, 'good');
      assert.equal(
        commitSignature(Buffer.from(raw.replace(/\n\nsigned\n$/, '\n\nsomething else\n')), only('alice')).status,
        'bad',
      );
      assert.equal(
        commitSignature(Buffer.from(raw.replace('author a <a@', 'author b <b@')), only('alice')).status,
        'bad',
      );
    });

    it('a second, foreign signature header (gpgsig-sha256 in a SHA-1 repository) is left out of the payload', () => {
      const raw = commit('alice', 'two').toString('utf8');
      const withOther = raw.replace(
        /\ncommitter /,
        '\ngpgsig-sha256 -----BEGIN X-----\n more\n -----END X-----\ncommitter ',
      );
      assert.equal(commitSignature(Buffer.from(withOther), only('alice')).status, 'good');
    });
  });
});

/** The armored signature with one field's bytes replaced (same length or not: the length prefix is rewritten). */
function rearmor(armored: string, field: Buffer, replacement: Buffer): string {
  const blob = Buffer.from(armored.replace(/-----(BEGIN|END) SSH SIGNATURE-----/g, '').replace(/\s+/g, ''), 'base64');
  const at = blob.indexOf(field);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(replacement.length);
  const out = Buffer.concat([blob.subarray(0, at - 4), len, replacement, blob.subarray(at + field.length)]);
  const b64 = out.toString('base64').replace(/.{1,70}/g, '$&\n');
  return `-----BEGIN SSH SIGNATURE-----\n${b64}-----END SSH SIGNATURE-----\n`;
}

describe('SSH signing keys (parseSshSigningKey) against ssh-keygen', () => {
  it('reads a real ssh-keygen .pub file and computes the fingerprint ssh-keygen shows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptops-sshkey-'));
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'alice@laptop', '-f', join(dir, 'k')]);
      const pub = readFileSync(join(dir, 'k.pub'), 'utf8');
      const shown = execFileSync('ssh-keygen', ['-l', '-f', join(dir, 'k.pub')], { encoding: 'utf8' }).split(' ')[1];
      const parsed = parseSshSigningKey(pub);
      assert.ok('key' in parsed);
      assert.equal(parsed.key.fingerprint, shown);
      assert.equal(parsed.key.comment, 'alice@laptop');
      assert.equal(parsed.key.publicKey, pub.trim().split(' ').slice(0, 2).join(' '));
      const priv = parseSshSigningKey(readFileSync(join(dir, 'k'), 'utf8'));
      assert.ok('problem' in priv && /PRIVATE key/.test(priv.problem));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
