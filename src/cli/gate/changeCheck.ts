import { RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { UNPUBLISHED_PATH } from '../../core/release/unpublishedFile';
import type { CompiledPolicy } from '../../core/policy/compiledPolicy';
import type { Action } from '../../core/policy/actions';
import type { Actor, Decision, Resource } from '../../core/policy/decision';
import { formatForPath, parsePromptFile, type PromptParseResult } from '../../core/prompts';
import { samePath } from '../../core/access/pathGlobs';
import type { Diagnostic } from '../../core/diagnostics';
import { placementDiagnostics } from '../../core/index/placementDiagnostics';
import type { ChangeStatus } from '../../git/gitRepository';
import { promptResource } from '../../core/policy/promptResource';

/** A changed file with both versions' bytes (old: at the parent / HEAD; new: staged, working or committed). */
export interface GateChange {
  status: ChangeStatus;
  path: string;
  oldPath?: string;
  /** The new side is a symbolic link (git mode 120000). */
  symlink?: true;
  oldBytes?: Uint8Array;
  newBytes?: Uint8Array;
}

export interface ChangeProblem {
  path: string;
  action: Action;
  /**
   * The policy rule that refused; `symlink` for a link where the gate reads files;
   * `workspace-field` for a prompt whose `workspace:` names a workspace that does not cover its path.
   */
  rule: Decision['rule'] | 'symlink' | 'workspace-field';
  reason: string;
}

/** Decides whether new content may be written without the author's own rights: it is a signed release of that file. */
export type ReleasedContent = (path: string, newBytes: Uint8Array, env: string) => boolean;

/** A prompt file's parse (its fields place it); undefined when it does not parse. */
export type PromptReader = (path: string, bytes: Uint8Array) => PromptParseResult['prompt'];

export const readPrompt: PromptReader = (path, bytes) => parsePromptFile(path, decodeUtf8(bytes)).prompt;

/**
 * readPrompt that parses each bytes object once per path: verify's range hands the same
 * object for the same blob, which is one commit's new side and the next one's old side.
 */
export function promptReaderOnce(): PromptReader {
  const parsed = new Map<Uint8Array, Map<string, PromptParseResult['prompt']>>();
  return (path, bytes) => {
    let byPath = parsed.get(bytes);
    if (!byPath) parsed.set(bytes, (byPath = new Map<string, PromptParseResult['prompt']>()));
    if (!byPath.has(path)) byPath.set(path, readPrompt(path, bytes));
    return byPath.get(path);
  };
}

/**
 * Every change `actor` may not make, one problem per path (the first refusal).
 * A prompt is checked where it was (old text, old path) and where it ends up (new text,
 * new path): moving it to another workspace or env, by path or by its own fields, needs
 * rights in both. Other files matter only when protected. The release lock (and the unpublish records beside it) are left to
 * signature checks (publishers change it), and new content that is exactly a signed
 * release of that file was approved through review, whoever commits it.
 */
export function changeProblems(
  policy: CompiledPolicy,
  actor: Actor,
  changes: readonly GateChange[],
  released?: ReleasedContent,
  read: PromptReader = readPrompt,
): ChangeProblem[] {
  const problems = new Map<string, ChangeProblem>();
  const refuse = (path: string, action: Action, d: Decision) => {
    if (!problems.has(path)) problems.set(path, { path, action, rule: d.rule, reason: d.reason });
  };
  for (const change of changes) {
    if (change.symlink && change.status !== 'D' && isGatedPath(policy, change.path)) {
      const action: Action = change.status === 'M' ? 'prompt.edit' : 'prompt.create';
      problems.set(change.path, { path: change.path, action, rule: 'symlink', reason: SYMLINK_REASON });
      continue;
    }
    const oldPath = change.oldPath ?? change.path;
    const newResource =
      change.status === 'D' || isSignedFile(change.path)
        ? undefined
        : resourceFor(policy, change.path, change.newBytes, read);
    if (newResource?.kind === 'prompt' && newResource.workspaceProblem) {
      const d = newResource.workspaceProblem;
      const action: Action = change.status === 'M' ? 'prompt.edit' : 'prompt.create';
      const reason = `line ${d.line}, field ${d.field}: ${d.message}`;
      problems.set(change.path, { path: change.path, action, rule: 'workspace-field', reason });
      continue;
    }
    const isRelease =
      newResource?.kind === 'prompt' &&
      released !== undefined &&
      change.newBytes !== undefined &&
      released(
        change.path,
        change.newBytes,
        policy.placement(newResource.path, newResource.workspace, newResource.env).env,
      );
    // A signed release replaces what was there with approved content; a move still needs rights where it came from.
    if (isRelease && change.status !== 'R') continue;
    if (change.status !== 'A' && !isSignedFile(oldPath)) {
      const action: Action = change.status === 'M' ? 'prompt.edit' : 'prompt.delete';
      const resource = resourceFor(policy, oldPath, change.oldBytes, read);
      const d = resource && policy.decide(actor, action, resource);
      if (d && !d.allowed) refuse(oldPath, action, d);
    }
    if (newResource && !isRelease) {
      const action: Action = change.status === 'M' ? 'prompt.edit' : 'prompt.create';
      const d = policy.decide(actor, action, newResource);
      if (!d.allowed) refuse(change.path, action, d);
    }
  }
  return [...problems.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Files only the server writes (every entry signed): left to signature checks, whoever commits them. */
function isSignedFile(path: string): boolean {
  return path === RELEASE_LOCK_PATH || path === UNPUBLISHED_PATH;
}

export const SYMLINK_REASON =
  'is a symbolic link (git mode 120000): prompts, the release lock, the access file and the user directory must be files, and PromptOps never follows links';

/**
 * Whether the gate reads this path as a file: a prompt, or anything protected (the lock,
 * access file and user directory among them, `.promptops/**` being always protected), or
 * the `.promptops` folder itself.
 */
export function isGatedPath(policy: CompiledPolicy, path: string): boolean {
  return formatForPath(path) !== undefined || policy.placement(path).protected || samePath(path, '.promptops');
}

/**
 * A prompt placed by its path and own fields (with the located error when its `workspace`
 * field names a workspace that does not cover it), a protected file, or undefined for
 * files the gate ignores.
 */
function resourceFor(
  policy: CompiledPolicy,
  path: string,
  bytes: Uint8Array | undefined,
  read: PromptReader,
): (Resource & { workspaceProblem?: Diagnostic }) | undefined {
  if (formatForPath(path) !== undefined) {
    const prompt = bytes ? read(path, bytes) : undefined;
    const model = prompt?.model;
    const placed = policy.placement(path, model?.workspace, model?.env);
    const workspaceProblem =
      prompt && model && placed.ignoredWorkspace
        ? placementDiagnostics(
            path,
            model,
            policy.policy,
            { workspace: prompt.locateMetadata('workspace') },
            placed,
          ).find((d) => d.field === 'workspace')
        : undefined;
    return { ...promptResource(path, model), workspaceProblem };
  }
  return policy.placement(path).protected ? { kind: 'file', path } : undefined;
}

const decoder = new TextDecoder('utf-8');
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}
