import { parseAccessFile, parseAccessFileInSteps } from '../access';
import { ACCESS_FILE_PATH, type AccessPolicy } from '../access/accessPolicy';
import { builtinOnlyPolicy } from '../access/builtinOnlyPolicy';
import { withoutDeletedWorkspaces } from '../access/withoutDeletedWorkspaces';
import type { Diagnostic } from '../diagnostics';
import { formatForPath, parsePromptFile } from '../prompts';
import type { PromptFormat, PromptModel } from '../prompts/promptModel';
import type { Action } from '../policy/actions';
import { compilePolicy, type CompiledPolicy } from '../policy/compiledPolicy';
import type { Actor, Decision } from '../policy/decision';
import type { DirEntry, IndexFileSystem } from './fileSystem';
import { TimeSlices, type Steps } from '../steps';
import { GitignoreRules } from './gitignoreRules';
import { placementDiagnostics, type PlacementFieldPositions } from './placementDiagnostics';
import { promptResource } from '../policy/promptResource';

/** Longest stretch of parsing between two turns of the event loop. */
const SLICE_MS = 8;

export interface IndexedPrompt {
  path: string;
  format: PromptFormat;
  /** Undefined when the file could not be read as its format at all. */
  model?: PromptModel;
  workspace: string;
  env: string;
  protected: boolean;
  /** Parse problems plus placement problems (unknown env or workspace). */
  diagnostics: Diagnostic[];
}

/** What a user may do with a prompt, one decision per prompt action. */
export type PromptPermissions = Record<PromptAction, Decision>;
export const PROMPT_ACTIONS = [
  'prompt.read',
  'prompt.run',
  'prompt.edit',
  'prompt.delete',
  'prompt.publish',
  'review.request',
  'review.approve',
] as const;
export type PromptAction = (typeof PROMPT_ACTIONS)[number] & Action;

/**
 * Every prompt file in a repository, placed in its workspace and env under the repo's
 * access file, kept current one file at a time.
 */
export class PromptIndex {
  private readonly prompts = new Map<string, IndexedPrompt>();
  private accessDiagnostics: Diagnostic[] = [];
  private accessFilePresent = false;
  private compiled: CompiledPolicy = compilePolicy(builtinOnlyPolicy());
  /** The access file as written; `compiled` lacks the workspaces deleted on the server. */
  private declared: AccessPolicy = this.compiled.policy;
  private deletedWorkspaces: readonly string[] = [];
  private revisionValue = 0;

  private constructor(private readonly fs: IndexFileSystem) {}

  /** Walk the whole tree (honouring `.gitignore`), parse every prompt file and the access file. */
  static async build(fs: IndexFileSystem): Promise<PromptIndex> {
    const index = new PromptIndex(fs);
    await index.loadAccessFile();
    await index.walk('', GitignoreRules.root());
    return index;
  }

  /** The policy decisions use: the access file's, less the workspaces deleted on the server. */
  get policy(): AccessPolicy {
    return this.compiled.policy;
  }

  /** The access file's policy as written, deleted workspaces included (for warning about them). */
  get declaredPolicy(): AccessPolicy {
    return this.declared;
  }

  /**
   * The workspaces the server deleted: they grant nothing and their prompts fall to
   * `default`, as the server decides (withoutDeletedWorkspaces). Re-places every prompt.
   */
  setDeletedWorkspaces(names: readonly string[]): void {
    if (names.join('\0') === this.deletedWorkspaces.join('\0')) return;
    this.deletedWorkspaces = [...names];
    this.compile(this.declared);
    this.revisionValue++;
    for (const p of this.prompts.values()) this.place(p);
  }

  private compile(policy: AccessPolicy): void {
    this.declared = policy;
    this.compiled = compilePolicy(withoutDeletedWorkspaces(policy, this.deletedWorkspaces));
  }

  get hasAccessFile(): boolean {
    return this.accessFilePresent;
  }

  /**
   * Grows whenever anything the index says may have changed (a file re-read, the access
   * file re-placed everything): views with work per prompt skip it when it has not moved.
   */
  get revision(): number {
    return this.revisionValue;
  }

  get size(): number {
    return this.prompts.size;
  }

  all(): IterableIterator<IndexedPrompt> {
    return this.prompts.values();
  }

  get(path: string): IndexedPrompt | undefined {
    return this.prompts.get(path);
  }

  /** Access file problems first, then each prompt's, in path order; within a file, in line order. */
  diagnostics(): Diagnostic[] {
    const out = [...this.accessDiagnostics].sort(byPosition);
    for (const path of [...this.prompts.keys()].sort())
      out.push(...[...this.prompts.get(path)!.diagnostics].sort(byPosition));
    return out;
  }

  /**
   * The files that have problems, each with its own list (the index's, not a copy: an
   * unchanged file hands back the same array, so a caller can tell what changed). Cheaper
   * than `diagnostics()` on every change: no sorting, no copying of 10,000 empty lists.
   */
  *filesWithProblems(): IterableIterator<[path: string, diagnostics: readonly Diagnostic[]]> {
    if (this.accessDiagnostics.length > 0) yield [ACCESS_FILE_PATH, this.accessDiagnostics];
    for (const p of this.prompts.values()) if (p.diagnostics.length > 0) yield [p.path, p.diagnostics];
  }

  /**
   * What `diagnostics()` would say about one file if it held `text` (an editor's unsaved
   * buffer), without changing the index. Empty for files the index does not read.
   */
  diagnosticsForText(path: string, text: string): Diagnostic[] {
    if (path === ACCESS_FILE_PATH) return parseAccessFile(text, ACCESS_FILE_PATH).diagnostics.sort(byPosition);
    if (formatForPath(path) === undefined) return [];
    const { prompt, diagnostics, positions } = parseForIndex(path, text);
    const placement = prompt
      ? placementDiagnostics(
          path,
          prompt.model,
          this.policy,
          positions,
          this.compiled.placement(path, prompt.model.workspace, prompt.model.env),
          this.deletedWorkspaces,
        )
      : [];
    return [...diagnostics, ...placement].sort(byPosition);
  }

  /** The saved state's problems of one file. */
  diagnosticsOf(path: string): Diagnostic[] {
    if (path === ACCESS_FILE_PATH) return [...this.accessDiagnostics].sort(byPosition);
    return [...(this.prompts.get(path)?.diagnostics ?? [])].sort(byPosition);
  }

  decide(actor: Actor, action: Action, path: string, author?: string): Decision {
    const p = this.prompts.get(path);
    if (!p) return this.compiled.decide(actor, action, { kind: 'file', path });
    return this.compiled.decide(actor, action, promptResource(path, p.model, author));
  }

  permissions(actor: Actor, path: string): PromptPermissions {
    const out = {} as PromptPermissions;
    for (const action of PROMPT_ACTIONS) out[action] = this.decide(actor, action, path);
    return out;
  }

  /**
   * Re-read one path after it changed, appeared or disappeared. The access file re-places
   * every prompt (no re-parse); a prompt file re-parses only itself; a `.gitignore` re-walks.
   */
  async update(path: string): Promise<void> {
    this.revisionValue++;
    if (path === ACCESS_FILE_PATH) {
      await this.loadAccessFile();
      for (const p of this.prompts.values()) this.place(p);
      return;
    }
    if (path === '.gitignore' || path.endsWith('/.gitignore')) {
      this.prompts.clear();
      this.parsed.clear();
      await this.walk('', GitignoreRules.root());
      return;
    }
    if (formatForPath(path) === undefined) return;
    const text = await this.fs.readFile(path);
    if (text === undefined) {
      this.prompts.delete(path);
      this.parsed.delete(path);
    } else this.add(path, text);
  }

  private async loadAccessFile(): Promise<void> {
    const text = await this.fs.readFile(ACCESS_FILE_PATH);
    this.accessFilePresent = text !== undefined;
    if (text === undefined) {
      this.accessDiagnostics = [];
      this.compile(builtinOnlyPolicy());
      return;
    }
    // In steps with turns of the event loop between: the first parse in a process runs
    // unoptimised code, ~100 ms for a 20-workspace file in the extension host (bench:activation).
    const { policy, diagnostics } = await this.inSlices(parseAccessFileInSteps(text, ACCESS_FILE_PATH));
    this.accessDiagnostics = diagnostics;
    await this.yieldIfBusy();
    // A broken access file must not loosen anything: keep the last good policy, or the
    // built-in defaults (which grant no workspace bindings) when there never was one.
    if (policy) this.compile(policy);
  }

  /** `listed`: the folder's listing, already asked for with its siblings' (one batch for a worker-backed fs). */
  private async walk(dir: string, parentRules: GitignoreRules, listed?: Promise<DirEntry[]>): Promise<void> {
    const entries = await (listed ?? this.fs.readDir(dir));
    const hasGitignore = entries.some((e) => e.name === '.gitignore' && e.kind === 'file');
    const rules = hasGitignore ? parentRules.child(dir, await this.fs.readFile(join(dir, '.gitignore'))) : parentRules;
    const files: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      const path = join(dir, e.name);
      if (e.kind === 'dir') {
        if (!rules.ignores(path, true)) dirs.push(path);
      } else if (e.kind === 'file' && formatForPath(path) !== undefined && !rules.ignores(path, false)) {
        files.push(path);
      }
    }
    // The files and the subfolders' listings asked for in one turn; still added in walk order.
    const reading = Promise.all(files.map((f) => this.fs.readFile(f)));
    const listings = dirs.map((d) => this.fs.readDir(d));
    // A listing that fails is reported when its folder's turn comes, not as an unhandled rejection before.
    for (const listing of listings) listing.catch(() => undefined);
    const texts = await reading;
    for (let i = 0; i < files.length; i++) {
      const text = texts[i];
      if (text !== undefined) this.add(files[i], text);
      await this.yieldIfBusy();
    }
    for (let i = 0; i < dirs.length; i++) await this.walk(dirs[i], rules, listings[i]);
  }

  /** Parsing is synchronous; a folder of 500 prompts would hold the extension host for 50+ ms. */
  private readonly slices = new TimeSlices(SLICE_MS);

  private yieldIfBusy(): Promise<void> {
    return this.slices.yieldIfBusy();
  }

  private inSlices<T>(steps: Steps<T>): Promise<T> {
    return this.slices.run(steps);
  }

  private add(path: string, text: string): void {
    this.revisionValue++;
    const { prompt, diagnostics, positions } = parseForIndex(path, text);
    const entry: IndexedPrompt = {
      path,
      format: prompt?.format ?? formatForPath(path)!,
      model: prompt?.model,
      workspace: 'default',
      env: this.policy.environments[0],
      protected: false,
      diagnostics,
    };
    this.parsed.set(path, { diagnostics, positions });
    this.prompts.set(path, entry);
    this.place(entry);
  }

  /** What placement needs from the parse, so the access file can change without re-parsing prompts. */
  private readonly parsed = new Map<string, { diagnostics: Diagnostic[]; positions: PlacementFieldPositions }>();

  private place(p: IndexedPrompt): void {
    const placed = this.compiled.placement(p.path, p.model?.workspace, p.model?.env);
    p.workspace = placed.workspace;
    p.env = placed.env;
    p.protected = placed.protected;
    const parsed = this.parsed.get(p.path);
    const parse = parsed?.diagnostics ?? [];
    p.diagnostics = p.model
      ? [
          ...parse,
          ...placementDiagnostics(
            p.path,
            p.model,
            this.policy,
            parsed?.positions ?? {},
            placed,
            this.deletedWorkspaces,
          ),
        ]
      : parse;
  }
}

/** One parse, and where its placement fields stand. */
function parseForIndex(path: string, text: string) {
  const { prompt, diagnostics } = parsePromptFile(path, text);
  const positions: PlacementFieldPositions = prompt
    ? { env: prompt.locateMetadata('env'), workspace: prompt.locateMetadata('workspace') }
    : {};
  return { prompt, diagnostics, positions };
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.line - b.line || a.column - b.column;
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}
