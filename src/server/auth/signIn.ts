import { normalizeUsername } from '../../core/users/username';
import type { UserRecord } from '../store/records';
import type { Store } from '../store/store';
import type { LoginThrottle } from './loginThrottle';
import { verifyAgainstDummy, verifyPassword } from './passwordHashing';
import { isServiceAccount } from './serviceAccounts';
import type { SessionPolicy } from './sessionPolicy';
import { hashToken, newSessionToken } from './sessionTokens';

export type SignInResult =
  | { kind: 'ok'; token: string; expiresAt: number; user: UserRecord }
  | { kind: 'throttled'; retryAfterMs: number }
  /** Deliberately one outcome for unknown user and wrong password. */
  | { kind: 'invalid' };

export class SignIn {
  constructor(
    private readonly store: Store,
    private readonly throttle: LoginThrottle,
    private readonly sessionPolicy: SessionPolicy,
    private readonly now: () => number,
  ) {}

  async attempt(typedUsername: string, password: string, address: string): Promise<SignInResult> {
    const started = this.now();
    // One form for the lookup and every throttle key, however the name was typed.
    const username = normalizeUsername(typedUsername);
    // Checked before the password, so a blocked attacker learns nothing from guessing.
    const retryAfterMs = await this.throttle.retryAfterMs(username, address, started);
    if (retryAfterMs > 0) return { kind: 'throttled', retryAfterMs };

    const user = await this.store.getUserByUsername(username);
    // A service account has no password: the same answer, and the same time, as an unknown user.
    const valid =
      user && !isServiceAccount(user)
        ? await verifyPassword(user.passwordHash, password)
        : await verifyAgainstDummy(password);
    if (!user || !valid) {
      await this.throttle.recordFailure(username, address, this.now());
      return { kind: 'invalid' };
    }

    await this.throttle.recordSuccess(username, address);
    const now = this.now();
    const token = newSessionToken();
    const expiresAt = now + this.sessionPolicy.absoluteMs;
    await this.store.createSession({
      tokenHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      expiresAt,
    });
    return { kind: 'ok', token, expiresAt, user };
  }
}
