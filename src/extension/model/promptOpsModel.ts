import * as vscode from 'vscode';
import { ACCESS_FILE_PATH, DEFAULT_WORKSPACE } from '../../core/access/accessPolicy';
import type { IndexedPrompt, PromptIndex } from '../../core/index/promptIndex';
import type { Action } from '../../core/policy/actions';
import type { Actor, Decision } from '../../core/policy/decision';
import { effectiveRole, type EffectiveRole } from '../../core/policy/effectiveRole';
import { loadPromptIndex } from '../lazyModules';
import { nextTurn } from '../nextTurn';
import type { Session } from '../session/session';
import { SIGNED_OUT_VERDICT, type EditVerdict } from './editVerdict';
import { ExpectedWrites } from './expectedWrites';
import { OpenReviews } from './openReviews';
import type { PromptState } from './promptState';
import { RepositoryState } from './repositoryState';
import { watchRepository } from './repositoryWatcher';
import { indexFileSystem } from './workspaceIndexFileSystem';
import { effectiveScope, WORKSPACE_SCOPE_KEY, type WorkspaceScope } from './workspaceScope';

/** Someone with no bindings and the lowest role: used to ask "is this path protected at all?". */
const NOBODY: Actor = { username: '', role: 'viewer' };
const CHANGE_SETTLE_MS = 150;

/**
 * The data every view, the status bar and enforcement read: the repository's prompt
 * index (kept current by a file watcher), who I am (the session), per-prompt git and
 * release state, and the workspace I am working in. Fires onDidChange after each change.
 */
export class PromptOpsModel implements vscode.Disposable {
  private indexValue: PromptIndex | undefined;
  private readonly repoState: RepositoryState;
  /** The workspace picked with Switch Workspace (undefined: all); kept in workspaceState across reloads. */
  private pinnedWorkspace: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly pendingPaths = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private readonly readyPromise: Promise<void>;
  readonly openReviews = new OpenReviews();
  /** What the extension itself writes (publish), so the edit guard tells it apart from others' changes. */
  readonly expectedWrites = new ExpectedWrites();

  constructor(
    readonly root: vscode.Uri,
    readonly session: Session,
    private readonly log: vscode.LogOutputChannel,
    /** Where the picked workspace survives a window reload (the extension's workspaceState). */
    readonly scopeMemory?: vscode.Memento,
  ) {
    this.pinnedWorkspace = storedString(scopeMemory?.get(WORKSPACE_SCOPE_KEY));
    this.repoState = new RepositoryState(root, log);
    this.disposables.push(
      this.changed,
      this.openReviews,
      session.onDidChange(() => this.changed.fire()),
      this.openReviews.onDidChange(() => this.changed.fire()),
    );
    // The first walk (the file watcher, dist/lazy.js, the reader's worker) starts once
    // activate() has returned: the first paint needs none of it.
    this.readyPromise = nextTurn().then(() => this.build());
  }

  /** Resolves once the first index walk and the release lock's state are in (git's: `startGitState`). */
  ready(): Promise<void> {
    return this.readyPromise;
  }

  get index(): PromptIndex | undefined {
    return this.indexValue;
  }

  get hasAccessFile(): boolean {
    return this.indexValue?.hasAccessFile ?? false;
  }

  get actor(): Actor | undefined {
    const user = this.session.user;
    if (!user) return undefined;
    // Signed in with an API key, the editor shows what the key may do: its scope ∩ its creator.
    return user.apiKey
      ? { username: user.username, role: user.role, apiKey: user.apiKey }
      : { username: user.username, role: user.role };
  }

  repository(): RepositoryState {
    return this.repoState;
  }

  relativePath(uri: vscode.Uri): string | undefined {
    if (uri.scheme !== this.root.scheme) return undefined;
    const rootPath = this.root.path.endsWith('/') ? this.root.path : `${this.root.path}/`;
    return uri.path.startsWith(rootPath) ? uri.path.slice(rootPath.length) : undefined;
  }

  /** `path` is repo-relative with forward slashes, already normal: no joinPath normalisation (10,000 calls per recompute). */
  uriOf(path: string): vscode.Uri {
    const rootPath = this.root.path.endsWith('/') ? this.root.path : `${this.root.path}/`;
    return this.root.with({ path: rootPath + path });
  }

  prompt(path: string): IndexedPrompt | undefined {
    return this.indexValue?.get(path);
  }

  promptState(prompt: IndexedPrompt): PromptState {
    return this.repoState.stateOf(prompt.path, prompt.env);
  }

  /** Whether only admins may change this path (`.promptops/**` and the access file's `protected`). */
  isProtected(path: string): boolean {
    if (!this.indexValue) return path.startsWith('.promptops/');
    return this.indexValue.decide(NOBODY, 'prompt.edit', path).rule === 'protected-path';
  }

  /** A decision for me; undefined while signed out. */
  decide(action: Action, path: string): Decision | undefined {
    const actor = this.actor;
    return actor && this.indexValue ? this.indexValue.decide(actor, action, path) : undefined;
  }

  /** May I change this file? Undefined for files PromptOps does not govern (neither a prompt nor protected). */
  editVerdict(path: string): EditVerdict | undefined {
    const isPrompt = this.indexValue?.get(path) !== undefined;
    if (!isPrompt && !this.isProtected(path)) return undefined;
    const decision = this.decide('prompt.edit', path);
    if (!decision) return SIGNED_OUT_VERDICT;
    return { allowed: decision.allowed, reason: decision.reason, rule: decision.rule };
  }

  workspaceNames(): string[] {
    const names = (this.indexValue?.policy.workspaces ?? []).map((w) => w.name);
    return names.includes(DEFAULT_WORKSPACE) ? names : [...names, DEFAULT_WORKSPACE];
  }

  /** My role in a workspace (core's effectiveRole). */
  roleIn(workspace: string): EffectiveRole | undefined {
    const user = this.session.user;
    if (!user) return undefined;
    const def = this.indexValue?.policy.workspaces.find((w) => w.name === workspace);
    return effectiveRole(def ?? { members: {} }, user);
  }

  /** The workspace the Prompts and Reviews views are scoped to; undefined for all workspaces. */
  scope(): WorkspaceScope {
    return effectiveScope(this.pinnedWorkspace, this.workspaceNames());
  }

  /** The workspace picked with Switch Workspace, else the active prompt's, else `default`. */
  currentWorkspace(): string {
    const scope = this.scope();
    if (scope) return scope;
    const active = vscode.window.activeTextEditor?.document.uri;
    const path = active && this.relativePath(active);
    return (path && this.indexValue?.get(path)?.workspace) || DEFAULT_WORKSPACE;
  }

  /**
   * "rita, viewer in default; reviewer in marketing, support": the role in the current
   * workspace first, then wherever another role applies, so a reviewer is never just "viewer".
   */
  describeIdentity(): string | undefined {
    const user = this.session.user;
    if (!user) return undefined;
    const current = this.currentWorkspace();
    const here = this.roleIn(current)?.role ?? user.role;
    const elsewhere = new Map<string, string[]>();
    for (const w of this.workspaceNames()) {
      const role = this.roleIn(w)?.role ?? user.role;
      if (w !== current && role !== here) elsewhere.set(role, [...(elsewhere.get(role) ?? []), w]);
    }
    const others = [...elsewhere].map(([role, names]) => `; ${role} in ${names.join(', ')}`).join('');
    return `${user.username}, ${here} in ${current}${others}`;
  }

  /**
   * Asks the server which workspaces it deleted, so the editor's locks, menus and
   * decorations decide as the server does (their prompts fall to `default`). Kept while
   * offline; the names, for the Access view's warning.
   */
  async refreshDeletedWorkspaces(): Promise<string[]> {
    if (this.session.state.kind === 'signedIn') {
      this.deletedWorkspaces = (await this.session.api().listDeletedWorkspaces()).map((d) => d.name);
      await this.readyPromise;
      const index = this.indexValue;
      const before = index?.revision;
      this.applyDeleted();
      if (index && index.revision !== before) {
        await this.repoState.refresh(index);
        this.changed.fire();
      }
    }
    return this.deletedWorkspaces;
  }

  private deletedWorkspaces: string[] = [];

  private applyDeleted(): void {
    this.indexValue?.setDeletedWorkspaces(this.deletedWorkspaces);
  }

  /** Scope the views to a workspace (undefined: all workspaces) and remember it for the next window. */
  async pinWorkspace(name: string | undefined): Promise<void> {
    this.pinnedWorkspace = name;
    this.changed.fire();
    await this.scopeMemory?.update(WORKSPACE_SCOPE_KEY, name);
  }

  /**
   * The one watcher of the repository's files (the index's and the edit guard's), made on first
   * use: the guard asks at activation, so disk changes are watched from then on.
   */
  fileWatcher(): vscode.FileSystemWatcher {
    if (!this.watcher) {
      this.watcher = watchRepository(this.root);
      this.disposables.push(this.watcher);
    }
    return this.watcher;
  }

  /** Re-walk everything and re-read git and lock state. */
  async reload(): Promise<void> {
    const { PromptIndex } = await loadPromptIndex();
    this.indexValue = await PromptIndex.build(indexFileSystem(this.root));
    this.applyDeleted();
    await this.repoState.refresh(this.indexValue);
    this.changed.fire();
  }

  private async build(): Promise<void> {
    const started = Date.now();
    const watcher = this.fileWatcher();
    const onPath = (uri: vscode.Uri) => {
      const path = this.relativePath(uri);
      if (path !== undefined && !path.startsWith('.git/')) this.queue(path);
    };
    this.disposables.push(watcher.onDidChange(onPath), watcher.onDidCreate(onPath), watcher.onDidDelete(onPath));
    // The current workspace follows the active prompt: every view and the status bar show the same one.
    let shownWorkspace = this.currentWorkspace();
    this.disposables.push(
      this.onDidChange(() => (shownWorkspace = this.currentWorkspace())),
      vscode.window.onDidChangeActiveTextEditor(() => {
        const now = this.currentWorkspace();
        if (now !== shownWorkspace) this.changed.fire();
      }),
    );
    // Saving does not always reach the watcher first; git state follows saves too.
    this.disposables.push(vscode.workspace.onDidSaveTextDocument((d) => onPath(d.uri)));
    try {
      await this.reload();
      this.log.info(`indexed ${this.indexValue?.size ?? 0} prompts in ${Date.now() - started} ms`);
    } catch (err) {
      this.log.error(`indexing ${this.root.fsPath} failed: ${(err as Error).stack ?? String(err)}`);
    }
  }

  /** Coalesce bursts (a branch switch, a formatter) into one index update and one change event. */
  private queue(path: string): void {
    this.pendingPaths.add(path);
    clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => void this.flush(), CHANGE_SETTLE_MS);
  }

  /** Resolves when no file change is waiting to reach the index. */
  async settled(): Promise<void> {
    await this.readyPromise;
    while (this.pendingPaths.size > 0 || this.flushing) await new Promise((r) => setTimeout(r, 20));
    await this.repoState.gitSettled();
  }

  /**
   * Reads what git says (modified, published upstream), the first git processes this model
   * starts: activation calls it once the index and enforcement have settled (each process
   * start blocks the extension host's thread). The views follow when it is read.
   */
  async startGitState(): Promise<void> {
    await this.repoState.startGit();
    this.changed.fire();
  }

  private flushing = false;

  private async flush(): Promise<void> {
    const index = this.indexValue;
    if (!index) return;
    const paths = [...this.pendingPaths];
    this.pendingPaths.clear();
    this.flushing = true;
    try {
      for (const path of paths) await index.update(path);
      if (paths.includes(ACCESS_FILE_PATH)) this.log.info('access file changed; permissions re-evaluated');
      await this.repoState.refresh(index);
    } catch (err) {
      this.log.error(`updating the index failed: ${(err as Error).message}`);
    } finally {
      this.flushing = false;
    }
    this.changed.fire();
  }

  dispose(): void {
    clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function storedString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
