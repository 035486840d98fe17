import assert from 'node:assert/strict';
import { DEFAULT_LOGIN_THROTTLE, delayAfter } from '../../../src/server/auth/loginThrottle';
import { ARGON2_OPTIONS, hashPassword, verifyPassword } from '../../../src/server/auth/passwordHashing';
import { passwordProblem } from '../../../src/server/auth/passwordPolicy';
import { roleAtLeast } from '../../../src/core/policy/actions';
import { DEFAULT_SESSION_POLICY, isSessionExpired } from '../../../src/server/auth/sessionPolicy';
import { hashToken, newSessionToken } from '../../../src/server/auth/sessionTokens';
import { StaticToken } from '../../../src/server/auth/staticToken';
import { bearerToken } from '../../../src/server/auth/authenticator';

describe('server auth rules', () => {
  it('delays logins after 5 failures per account and address: 1 s, 2 s, 4 s … capped at 15 min', () => {
    const rule = DEFAULT_LOGIN_THROTTLE.accountAddress;
    assert.deepEqual(
      [1, 5, 6, 7, 8, 9].map((n) => delayAfter(n, rule)),
      [0, 0, 1000, 2000, 4000, 8000],
    );
    assert.equal(delayAfter(40, rule), 15 * 60 * 1000);
    assert.equal(delayAfter(10_000, rule), 15 * 60 * 1000);
    assert.equal(delayAfter(20, DEFAULT_LOGIN_THROTTLE.address), 0, 'addresses get more room (shared NATs)');
    const account = DEFAULT_LOGIN_THROTTLE.account;
    assert.equal(delayAfter(50, account), 0, 'a generous budget per account across addresses');
    assert.equal(delayAfter(10_000, account), 30 * 1000, 'with a short cap: slowed, never locked out');
  });

  it('hashes with argon2id m=19456 t=2 p=1 and verifies', async () => {
    assert.deepEqual(
      { m: ARGON2_OPTIONS.memoryCost, t: ARGON2_OPTIONS.timeCost, p: ARGON2_OPTIONS.parallelism },
      { m: 19456, t: 2, p: 1 },
    );
    const hash = await hashPassword('pässwörd with ünicode');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await verifyPassword(hash, 'pässwörd with ünicode'), true);
    assert.equal(await verifyPassword(hash, 'passwörd with ünicode'), false);
    assert.equal(await verifyPassword('not a hash', 'x'), false, 'a corrupt hash is a failed login, not a crash');
  });

  it("requires 12+ characters, not the username, and refuses common or trivial passwords with zxcvbn's reason", () => {
    assert.match(passwordProblem('admin', 'admin') ?? '', /at least 12/);
    for (const weak of ['12345678', 'pppppppp', ' '.repeat(8)])
      assert.match(passwordProblem(weak, 'alice') ?? '', /at least 12/);
    assert.match(passwordProblem('123456789012', 'alice') ?? '', /too easy to guess: This is a commonly used password/);
    assert.match(passwordProblem('pppppppppppp', 'alice') ?? '', /too easy to guess: Repeated characters/);
    assert.match(passwordProblem(' '.repeat(12), 'alice') ?? '', /too easy to guess/);
    assert.match(passwordProblem('Alice1234567', 'alice1234567') ?? '', /username/);
    assert.match(
      passwordProblem('alice-alice-alice', 'alice') ?? '',
      /too easy to guess/,
      'the username counts as known',
    );
    assert.equal(passwordProblem('correct horse battery', 'alice'), undefined);
    assert.equal(
      passwordProblem('🔑🌵🎈🧲🪁🛶🧊🎻🦉🪴🧭🍋', 'alice'),
      undefined,
      'counts characters, not UTF-16 units',
    );
    assert.match(passwordProblem('x'.repeat(300), 'alice') ?? '', /at most/);
  });

  it('makes 256-bit base64url tokens and stores their sha256', () => {
    const a = newSessionToken();
    assert.equal(Buffer.from(a, 'base64url').length, 32);
    assert.notEqual(a, newSessionToken());
    assert.match(hashToken(a), /^[0-9a-f]{64}$/);
  });

  it('compares the static token whatever the candidate length', () => {
    const token = new StaticToken('s3cret-token');
    assert.equal(token.matches('s3cret-token'), true);
    assert.equal(token.matches('s3cret-toke'), false);
    assert.equal(token.matches(''), false);
    assert.equal(token.matches('s3cret-token-and-more'), false);
    assert.equal(token.isDefault, false);
    assert.equal(new StaticToken('promptops-dev-token').isDefault, true);
  });

  it('reads Bearer tokens strictly', () => {
    assert.equal(bearerToken('Bearer abc'), 'abc');
    assert.equal(bearerToken('bearer abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken('Bearer'), undefined);
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });

  it('expires sessions when idle or past their absolute end', () => {
    const now = 1_000_000_000_000;
    const p = DEFAULT_SESSION_POLICY;
    assert.equal(isSessionExpired({ lastUsedAt: now - 1000, expiresAt: now + 1000 }, now, p), false);
    assert.equal(isSessionExpired({ lastUsedAt: now - p.idleMs, expiresAt: now + 1000 }, now, p), true);
    assert.equal(isSessionExpired({ lastUsedAt: now, expiresAt: now }, now, p), true);
  });

  it('ranks roles viewer < editor < admin', () => {
    assert.equal(roleAtLeast('admin', 'editor'), true);
    assert.equal(roleAtLeast('editor', 'editor'), true);
    assert.equal(roleAtLeast('viewer', 'editor'), false);
  });
});
