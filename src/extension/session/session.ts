import * as vscode from 'vscode';
import type { MeResponse } from '../../shared/api/auth';
import { PromptOpsClient } from '../../client/promptOpsClient';
import { isUnauthorized, isUnreachable } from '../server/serverErrors';
import { STATIC_TOKEN_USERNAME, type SessionState, type SignedInUser } from './sessionState';

const tokenKey = (serverUrl: string) => `promptops.token:${serverUrl}`;
const cachedUserKey = (serverUrl: string) => `promptops.user:${serverUrl}`;

/**
 * Sign-in state for one server URL. The token lives only in SecretStorage; the last known
 * identity is cached in globalState so an unreachable server leaves a read-only view of
 * who I was, never an approval or a publish.
 */
export class Session implements vscode.Disposable {
  private current: SessionState = { kind: 'signedOut', serverUrl: undefined };
  private token: string | undefined;
  /** Bumped by every sign-in, sign-out and restore: a background refresh that started before one is stale. */
  private epoch = 0;
  private readonly changed = new vscode.EventEmitter<SessionState>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly globalState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get state(): SessionState {
    return this.current;
  }

  get serverUrl(): string | undefined {
    return this.current.kind === 'signedOut' ? this.current.serverUrl : this.current.user.serverUrl;
  }

  get user(): SignedInUser | undefined {
    return this.current.kind === 'signedOut' ? undefined : this.current.user;
  }

  /** An API client with my token; only while the server answers (nothing is changed offline). */
  api(): PromptOpsClient {
    if (this.current.kind !== 'signedIn' || !this.token) {
      throw new Error(
        this.current.kind === 'offline'
          ? `${this.current.error} Nothing can be changed on the server until it answers.`
          : 'Sign in to PromptOps first.',
      );
    }
    return new PromptOpsClient({ server: this.current.user.serverUrl, token: this.token });
  }

  /** Re-read the stored token for `serverUrl` and ask the server who it belongs to. */
  async restore(serverUrl: string | undefined): Promise<void> {
    const epoch = ++this.epoch;
    if (!serverUrl) return this.set({ kind: 'signedOut', serverUrl: undefined });
    const token = await this.secrets.get(tokenKey(serverUrl));
    if (epoch !== this.epoch) return;
    if (!token) return this.set({ kind: 'signedOut', serverUrl });
    // Failures leave the state set (signed out, or offline with the cached identity) and are logged.
    await this.adopt(serverUrl, token, false, undefined, epoch).catch(() => undefined);
  }

  async signInWithPassword(serverUrl: string, username: string, password: string): Promise<SignedInUser> {
    this.epoch++;
    const login = await new PromptOpsClient({ server: serverUrl }).login(username, password);
    await this.secrets.store(tokenKey(serverUrl), login.token);
    return this.signedInAs(await this.adopt(serverUrl, login.token, true));
  }

  async signInWithToken(serverUrl: string, token: string): Promise<SignedInUser> {
    this.epoch++;
    const user = this.signedInAs(await this.adopt(serverUrl, token, true));
    await this.secrets.store(tokenKey(serverUrl), token);
    return user;
  }

  /**
   * A refresh (the live poll) that began while this sign-in was under way still holds the
   * previous user's token: made stale here, it cannot put that user back.
   */
  private signedInAs(user: SignedInUser): SignedInUser {
    this.epoch++;
    return user;
  }

  async signOut(): Promise<void> {
    this.epoch++;
    const serverUrl = this.serverUrl;
    if (this.current.kind === 'signedIn' && this.token && this.current.user.authMethod === 'session') {
      await new PromptOpsClient({ server: serverUrl!, token: this.token })
        .logout()
        .catch((err: unknown) => this.log.warn(`sign-out: ${(err as Error).message}`));
    }
    if (serverUrl) {
      await this.secrets.delete(tokenKey(serverUrl));
      await this.globalState.update(cachedUserKey(serverUrl), undefined);
    }
    this.token = undefined;
    this.set({ kind: 'signedOut', serverUrl });
    this.log.info('signed out');
  }

  /**
   * Ask the server again (after it was unreachable, or to pick up a role change);
   * `timeoutMs` shortens the wait, so a hung server shows as offline quickly.
   */
  async refresh(timeoutMs?: number): Promise<void> {
    const serverUrl = this.serverUrl;
    if (serverUrl && this.token) await this.adopt(serverUrl, this.token, false, timeoutMs, this.epoch);
  }

  /**
   * `GET /api/me` with the token. `interactive` sign-ins surface every error; a restore
   * treats 401 as "signed out" and no answer as "offline with the cached identity".
   */
  private async adopt(
    serverUrl: string,
    token: string,
    interactive: boolean,
    timeoutMs?: number,
    epoch?: number,
  ): Promise<SignedInUser> {
    let me: MeResponse;
    const stale = () => epoch !== undefined && epoch !== this.epoch;
    try {
      me = await new PromptOpsClient({ server: serverUrl, token, timeoutMs }).me();
    } catch (err) {
      if (interactive || stale()) throw err;
      if (isUnauthorized(err)) {
        this.log.warn(`the stored token for ${serverUrl} is no longer valid; signed out`);
        await this.secrets.delete(tokenKey(serverUrl));
        this.token = undefined;
        this.set({ kind: 'signedOut', serverUrl });
        throw err;
      }
      const cached = this.globalState.get<SignedInUser>(cachedUserKey(serverUrl));
      const message = isUnreachable(err)
        ? (err as Error).message
        : `The PromptOps server failed: ${(err as Error).message}`;
      if (this.current.kind !== 'offline') this.log.warn(message);
      this.token = token;
      if (cached) this.set({ kind: 'offline', user: cached, error: message });
      else this.set({ kind: 'signedOut', serverUrl });
      throw err;
    }
    if (stale()) throw new Error('signed in or out meanwhile');
    const user: SignedInUser = {
      username: me.user?.username ?? STATIC_TOKEN_USERNAME,
      userId: me.user?.id ?? null,
      role: me.role,
      authMethod: me.authMethod,
      serverUrl,
      ...(me.apiKey && { apiKey: { name: me.apiKey.name, ...me.apiKey.scope } }),
    };
    this.token = token;
    // The live poll asks every few seconds: write and log only what changed.
    if (this.current.kind === 'signedIn' && JSON.stringify(this.current.user) === JSON.stringify(user)) return user;
    await this.globalState.update(cachedUserKey(serverUrl), user);
    this.set({ kind: 'signedIn', user });
    this.log.info(`signed in to ${serverUrl} as ${user.username} (${user.role})`);
    return user;
  }

  private set(state: SessionState): void {
    const before = JSON.stringify(this.current);
    this.current = state;
    if (JSON.stringify(state) !== before) this.changed.fire(state);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
