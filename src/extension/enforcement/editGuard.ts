import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { revertFile } from './revertFile';
import type { EnforcementMode } from './enforcementMode';

interface GuardWarning {
  path: string;
  /**
   * `editor`: an edit reached an open document; `disk`: the file changed on disk;
   * `unlocked`: the user turned read-only off for the file (VS Code's "toggle for this session") and edits it.
   */
  kind: 'editor' | 'disk' | 'unlocked';
  message: string;
}

const DISK_CHECK_DELAY_MS = 250;

/**
 * What no setting blocks: edits applied through the API (another extension's
 * WorkspaceEdit) to a document I may not change, and changes on disk (a script, a
 * checkout of someone else's work). Either gets a warning naming the reason, with a
 * one-click Revert. The pre-commit hook and CI stay the real gate.
 */
export class EditGuard implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Documents with a warning on screen: one warning per burst of edits, not one per keystroke. */
  private readonly warned = new Set<string>();
  /** Disk checks waiting for their delay or running, per uri: `settled()` waits for them. */
  private readonly diskChecks = new Map<string, PendingDiskCheck>();
  /** Documents I may not change that the user made writable and edited (uri strings). */
  private readonly unlocked = new Set<string>();
  private readonly unlockedEmitter = new vscode.EventEmitter<vscode.Uri>();
  /** A document was found writable despite the lock, or closed after that. */
  readonly onDidChangeUnlocked = this.unlockedEmitter.event;

  constructor(
    private readonly model: PromptOpsModel,
    private readonly mode: () => EnforcementMode,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.unlockedEmitter,
      // The model's watcher (one for the window), made now if the index has not started yet.
      model.fileWatcher().onDidChange((uri) => this.scheduleDiskCheck(uri)),
      vscode.workspace.onDidChangeTextDocument((e) => this.onDocumentChange(e)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        const key = d.uri.toString();
        this.warned.delete(key);
        if (this.unlocked.delete(key)) this.unlockedEmitter.fire(d.uri);
      }),
    );
  }

  /** Whether the user turned read-only off for this file I may not change, and edited it. */
  isUnlocked(uri: vscode.Uri): boolean {
    return this.unlocked.has(uri.toString());
  }

  private onDocumentChange(e: vscode.TextDocumentChangeEvent): void {
    if (e.contentChanges.length === 0) return;
    const key = e.document.uri.toString();
    if (this.unlocked.has(key)) return;
    const path = this.model.relativePath(e.document.uri);
    const verdict = path === undefined ? undefined : this.model.editVerdict(path);
    if (!path || !verdict || verdict.allowed) return;
    // No API says whether an editor is read-only, but a read-only document never turns
    // dirty: one that does was made writable (VS Code's "toggle for this session").
    if (this.mode() === 'enforce' && e.document.isDirty) {
      this.unlocked.add(key);
      this.unlockedEmitter.fire(e.document.uri);
      const name = path.split('/').pop();
      const message = `You turned read-only off for ${name}, but you may not change it: the pre-commit hook, CI and the server will refuse this change. ${verdict.reason}`;
      this.warned.add(key);
      void this.warn({ path, kind: 'unlocked', message }, e.document.uri).finally(() => this.warned.delete(key));
      return;
    }
    if (this.warned.has(key)) return;
    // A read-only document never turns dirty, so compare with the file instead: a revert
    // (or an edit that undoes itself) brings the text back to the disk's and needs no warning.
    void this.differsFromDisk(e.document).then((differs) => {
      if (differs) this.warnAboutEdit(e.document, path, verdict.reason);
    });
  }

  private async differsFromDisk(document: vscode.TextDocument): Promise<boolean> {
    const onDisk = await vscode.workspace.fs.readFile(document.uri).then(
      (b) => new TextDecoder().decode(b),
      () => undefined,
    );
    return onDisk === undefined || onDisk !== document.getText();
  }

  private warnAboutEdit(document: vscode.TextDocument, path: string, reason: string): void {
    const key = document.uri.toString();
    if (this.warned.has(key)) return;
    const name = path.split('/').pop();
    const message =
      this.mode() === 'enforce'
        ? `${name} is read-only for you, yet an edit reached it (another extension or a command). ${reason}`
        : `You may not change ${name}. ${reason} The pre-commit hook and CI will refuse this change.`;
    this.warned.add(key);
    void this.warn({ path, kind: 'editor', message }, document.uri).finally(() => this.warned.delete(key));
  }

  private scheduleDiskCheck(uri: vscode.Uri): void {
    const key = uri.toString();
    const pending = this.diskChecks.get(key);
    // A burst of events is one check, 250 ms after the last; one still running finishes first.
    if (pending?.timer !== undefined) clearTimeout(pending.timer);
    const check = pending ?? newPendingDiskCheck();
    check.timer = setTimeout(() => {
      check.timer = undefined;
      check.running += 1;
      void this.checkDisk(uri)
        .then((warning) => {
          // Asked, not answered: a warning waits for the user, and settling must not.
          if (warning) void this.warn(warning, uri).catch((err: unknown) => this.log.warn(String(err)));
        })
        .catch((err: unknown) => this.log.warn(`checking ${uri.fsPath}: ${(err as Error).message}`))
        .finally(() => {
          check.running -= 1;
          if (check.timer !== undefined || check.running > 0) return; // another event came meanwhile
          this.diskChecks.delete(key);
          check.done();
        });
    }, DISK_CHECK_DELAY_MS);
    this.diskChecks.set(key, check);
  }

  /**
   * Resolves once every file change reported so far has been checked and any warning it
   * called for has been shown (not answered): "nothing was said" can then be read at once.
   */
  async settled(): Promise<void> {
    while (this.diskChecks.size > 0) await Promise.all([...this.diskChecks.values()].map((c) => c.settled));
  }

  /** A read-only file whose bytes on disk differ from HEAD: someone changed it outside the editor. */
  private async checkDisk(uri: vscode.Uri): Promise<GuardWarning | undefined> {
    const path = this.model.relativePath(uri);
    const verdict = path === undefined ? undefined : this.model.editVerdict(path);
    if (!path || !verdict || verdict.allowed || path.startsWith('.git/')) return undefined;
    // Saved from an editor the user made writable: they were warned then, and the status bar says so.
    if (this.unlocked.has(uri.toString())) return undefined;
    const repo = await this.model.repository().repository();
    const committed = repo ? await repo.fileAt('HEAD', path) : undefined;
    const onDisk = await vscode.workspace.fs.readFile(uri).then(
      (b) => b,
      () => undefined,
    );
    if (!committed || !onDisk || Buffer.from(committed).equals(Buffer.from(onDisk))) return undefined;
    // Our own write (publish), before its commit lands: not a change to warn about.
    if (this.model.expectedWrites.isOurs(path, onDisk)) return undefined;
    const name = path.split('/').pop();
    return { path, kind: 'disk', message: `${name} changed on disk, but you may not change it. ${verdict.reason}` };
  }

  private async warn(warning: GuardWarning, uri: vscode.Uri): Promise<void> {
    this.log.warn(`${warning.path}: ${warning.message}`);
    const revert = 'Revert';
    const explain = 'Explain Access';
    const choice = await vscode.window.showWarningMessage(`PromptOps: ${warning.message}`, revert, explain);
    if (choice === revert) {
      const done = await revertFile(uri, warning.path, await this.model.repository().repository());
      this.log.info(`${warning.path}: reverted (${done})`);
    } else if (choice === explain) {
      await vscode.commands.executeCommand(COMMANDS.explainAccess, uri);
    }
  }

  dispose(): void {
    for (const check of this.diskChecks.values()) {
      clearTimeout(check.timer);
      check.done();
    }
    for (const d of this.disposables) d.dispose();
  }
}

interface PendingDiskCheck {
  /** Set while the check waits for its delay. */
  timer: NodeJS.Timeout | undefined;
  /** Checks of this file under way (a new event may start one before the last ends). */
  running: number;
  settled: Promise<void>;
  done: () => void;
}

function newPendingDiskCheck(): PendingDiskCheck {
  let done = (): void => undefined;
  const settled = new Promise<void>((resolve) => (done = resolve));
  return { timer: undefined, running: 0, settled, done };
}
