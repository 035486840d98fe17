import * as vscode from 'vscode';
import { mergeReadonlyInclude, type ReadonlyInclude } from './readonlyIncludeMerge';

/**
 * Makes files read-only through `files.readonlyInclude` at the Global (user) scope: the
 * one mechanism that blocks typing at once with no race and writes nothing into the
 * repository (shared/VSCODE-ENFORCEMENT.md). Our keys are remembered per repository so
 * that they, and only they, are taken out again.
 */
export class ReadonlySettings {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly globalState: vscode.Memento,
    private readonly repositoryRoot: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private get oursKey(): string {
    return `promptops.readonlyInclude:${this.repositoryRoot}`;
  }

  /** Our entries become exactly `keys` (readonlyPatterns.ts; serialised: settings writes must not interleave). */
  apply(keys: readonly string[]): Promise<void> {
    this.queue = this.queue
      .then(() => this.write(keys))
      .catch((err: unknown) => {
        this.log.error(`could not update files.readonlyInclude: ${(err as Error).message}`);
      });
    return this.queue;
  }

  private async write(keys: readonly string[]): Promise<void> {
    const files = vscode.workspace.getConfiguration('files');
    const current = files.inspect<ReadonlyInclude>('readonlyInclude')?.globalValue;
    const previous = this.globalState.get<string[]>(this.oursKey, []);
    const merge = mergeReadonlyInclude(current, previous, keys);
    if (merge.changed) {
      await files.update('readonlyInclude', merge.value, vscode.ConfigurationTarget.Global);
      this.log.info(`files.readonlyInclude: ${merge.ours.length} PromptOps entries (user settings)`);
    }
    await this.globalState.update(this.oursKey, merge.ours.length ? merge.ours : undefined);
  }
}
