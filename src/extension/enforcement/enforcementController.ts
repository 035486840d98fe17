import * as vscode from 'vscode';
import { ALWAYS_PROTECTED } from '../../core/access/accessPolicy';
import type { EditVerdict } from '../model/editVerdict';
import type { PromptOpsModel } from '../model/promptOpsModel';
import { enforcementMode } from './enforcementMode';
import { LockDecorationProvider } from './lockDecorationProvider';
import { TimeSlices } from '../../core/steps';
import { readonlyPatternsInSteps } from './readonlyPatterns';
import { ReadonlySettings } from './readonlySettings';

const RECOMPUTE_DELAY_MS = 50;
const MAX_PROTECTED_FILES = 20_000;
const YIELD_EVERY = 1_000;
/** Longest stretch of the read-only pattern pass between two turns of the event loop. */
const SLICE_MS = 8;

/**
 * Turns the model's decisions into the editor layer of enforcement: the set of files I may
 * not change gets a lock badge (always) and, in `enforce` mode, goes into
 * `files.readonlyInclude`. Recomputed when who I am, the access file or the files change.
 */
export class EnforcementController implements vscode.Disposable {
  readonly decorations = new LockDecorationProvider();
  private readonly settings: ReadonlySettings;
  private locked = new Map<string, EditVerdict>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private applied: Promise<void> = Promise.resolve();
  private readonly changed = new vscode.EventEmitter<void>();
  /** After each recompute, once the settings are written. */
  readonly onDidApply = this.changed.event;

  constructor(
    private readonly model: PromptOpsModel,
    globalState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.settings = new ReadonlySettings(globalState, model.root.fsPath, log);
    this.disposables.push(
      this.changed,
      this.decorations,
      vscode.window.registerFileDecorationProvider(this.decorations),
      model.onDidChange(() => this.schedule()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('promptops.enforcement')) this.schedule();
      }),
    );
  }

  /** The verdict for a file I may not change; undefined when I may, or PromptOps does not govern it. */
  lockedVerdict(uri: vscode.Uri): EditVerdict | undefined {
    return this.locked.get(uri.toString());
  }

  lockedPaths(): string[] {
    return [...this.locked.keys()].map((k) => this.model.relativePath(vscode.Uri.parse(k)) ?? k).sort();
  }

  /** Resolves when the latest recompute has reached the settings (also if more were scheduled meanwhile). */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.applied;
      await seen;
    } while (seen !== this.applied);
  }

  /**
   * Debounced: changes within RECOMPUTE_DELAY_MS share one recompute. A waiter on the
   * pending promise is resolved by whichever recompute finally runs, never left behind.
   */
  schedule(): void {
    clearTimeout(this.timer);
    if (!this.resolvePending) this.applied = new Promise((resolve) => (this.resolvePending = resolve));
    this.timer = setTimeout(() => {
      const resolve = this.resolvePending;
      this.resolvePending = undefined;
      // One recompute at a time: a later one that finds nothing new must not report
      // "settled" while an earlier one is still writing the settings.
      this.running = this.running
        .then(() => this.recompute())
        .catch((err: unknown) => this.log.error(`enforcement: ${(err as Error).stack ?? String(err)}`))
        .finally(() => resolve?.());
    }, RECOMPUTE_DELAY_MS);
  }

  private resolvePending: (() => void) | undefined;
  private running: Promise<void> = Promise.resolve();

  /** What the last recompute judged: the model also changes for polls and reviews, which lock nothing. */
  private judged: { index: object; revision: number; actor: string; mode: string } | undefined;

  private async recompute(): Promise<void> {
    const index = this.model.index;
    if (!index) return;
    const inputs = {
      index,
      revision: index.revision,
      actor: JSON.stringify(this.model.actor),
      mode: enforcementMode(),
    };
    const j = this.judged;
    if (
      j &&
      j.index === inputs.index &&
      j.revision === inputs.revision &&
      j.actor === inputs.actor &&
      j.mode === inputs.mode
    )
      return;
    const locked = new Map<string, EditVerdict>();
    const lockedPaths = new Set<string>();
    const consider = (path: string) => {
      const verdict = this.model.editVerdict(path);
      if (!verdict || verdict.allowed) return;
      locked.set(this.model.uriOf(path).toString(), verdict);
      lockedPaths.add(path);
    };
    let n = 0;
    for (const prompt of [...index.all()]) {
      consider(prompt.path);
      // Yield now and then: 10,000 decisions in one go would hold the extension host up.
      if (++n % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
    }
    for (const path of await this.protectedFiles(index.policy.protected)) consider(path);
    this.locked = locked;
    // A turn of the event loop between the steps: each is tens of ms for 10,000 prompts (bench:activation).
    await new Promise((r) => setImmediate(r));
    this.decorations.update(locked, (key) => vscode.Uri.parse(key));
    await new Promise((r) => setImmediate(r));
    const root = this.model.root.fsPath.replace(/\\/g, '/').replace(/\/$/, '');
    const keys =
      enforcementMode() === 'enforce'
        ? await new TimeSlices(SLICE_MS).run(
            readonlyPatternsInSteps(
              root,
              [...index.all()].map((p) => p.path),
              lockedPaths,
            ),
          )
        : [];
    await this.settings.apply(keys);
    this.judged = inputs;
    this.changed.fire();
  }

  /** Files under protected globs that exist now (`.promptops/**` always). */
  private async protectedFiles(globs: readonly string[]): Promise<string[]> {
    const out = new Set<string>();
    for (const glob of [...ALWAYS_PROTECTED, ...globs]) {
      const found = await vscode.workspace.findFiles(
        new vscode.RelativePattern(this.model.root, glob),
        undefined,
        MAX_PROTECTED_FILES,
      );
      for (const uri of found) {
        const path = this.model.relativePath(uri);
        if (path !== undefined) out.add(path);
      }
    }
    return [...out];
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
