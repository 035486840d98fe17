import { ACCESS_FILE_PATH } from '../../core/access/accessPolicy';
import { formatDiagnostic } from '../../core/diagnostics';
import type { Actor } from '../../core/policy/decision';
import { KEY_CHAIN_PATH } from '../../core/release/keyChain';
import { lockRegressions } from '../../core/release/lockFreshness';
import { parseReleaseLock, RELEASE_LOCK_PATH } from '../../core/release/releaseLock';
import { importPublicKey } from '../../core/release/signingKeys';
import { trustedKeys } from '../../core/release/lockEntryVerdict';
import { trustedUnpublishes, UNPUBLISHED_PATH, type SignedUnpublish } from '../../core/release/unpublishedFile';
import type { GitRepository } from '../../git/gitRepository';
import { changeProblems, decodeUtf8, type ChangeProblem, type GateChange } from './changeCheck';
import { mayChangeUnderBrokenAccessFile } from '../../core/policy/orgDecision';
import { builtinOnlyPolicy } from '../../core/access/builtinOnlyPolicy';
import { gatePolicyFrom } from './gatePolicy';
import { compilePolicy } from '../../core/policy/compiledPolicy';
import { releasedContentFrom } from './releasedContent';
import { trustedChainKeys } from './trustedKeyChain';

export interface CheckReport {
  /** Files looked at (the changes), and the ones the user may not change. */
  changed: number;
  problems: ChangeProblem[];
}

/**
 * `promptops check`: the staged (or working-tree) changes `actor` may not make. Decided
 * with the access file as committed at HEAD, never the one being changed, so nobody can
 * grant themselves a role in the same commit.
 */
export async function checkRepository(
  repo: GitRepository,
  actor: Actor,
  options: { staged: boolean },
): Promise<CheckReport> {
  const head = await repo.head();
  const changes = options.staged ? await repo.stagedChanges() : await repo.workingTreeChanges();
  const oldPaths = changes.filter((c) => c.status !== 'A').map((c) => c.oldPath ?? c.path);
  const atHead = head
    ? await repo.filesAt(head, [
        ...new Set([...oldPaths, ACCESS_FILE_PATH, RELEASE_LOCK_PATH, KEY_CHAIN_PATH, UNPUBLISHED_PATH]),
      ])
    : new Map<string, Uint8Array | undefined>();
  const accessBytes = atHead.get(ACCESS_FILE_PATH);
  const gate = gatePolicyFrom(accessBytes && decodeUtf8(accessBytes));
  const gateChanges: GateChange[] = changes.map((c) => ({
    ...c,
    oldBytes: c.status === 'A' ? undefined : atHead.get(c.oldPath ?? c.path),
    newBytes: c.bytes,
  }));

  if (!gate.compiled) {
    // A broken access file decides nothing; admins may still change things (to fix it).
    if (mayChangeUnderBrokenAccessFile(actor))
      return {
        changed: changes.length,
        problems: changeProblems(compilePolicy(builtinOnlyPolicy()), actor, gateChanges),
      };
    const first = gate.errors[0] ? formatDiagnostic(gate.errors[0]) : ACCESS_FILE_PATH;
    const guarded = changeProblems(
      compilePolicy(builtinOnlyPolicy()),
      { username: actor.username, role: 'viewer' },
      gateChanges,
    );
    return {
      changed: changes.length,
      problems: guarded.map((p) => ({
        ...p,
        rule: 'protected-path',
        reason: `The access file at HEAD has errors (${first}); until an admin fixes it, nobody else may change prompts or protected files.`,
      })),
    };
  }
  const key = publicKeyOrUndefined(gate.compiled.policy.publicKey);
  const lockChange = changes.find((c) => c.path === RELEASE_LOCK_PATH);
  const lockBytes = lockChange ? lockChange.bytes : atHead.get(RELEASE_LOCK_PATH);
  const chainBytes = atHead.get(KEY_CHAIN_PATH);
  const keys = key ? trustedChainKeys(key, undefined, chainBytes && decodeUtf8(chainBytes), false).keys : [];
  const trusted = trustedKeys(...keys);
  const released = releasedContentFrom(lockBytes && decodeUtf8(lockBytes), trusted);
  const problems = changeProblems(gate.compiled, actor, gateChanges, released);
  if (lockChange) {
    const unpublishChange = changes.find((c) => c.path === UNPUBLISHED_PATH);
    const unpublishBytes = unpublishChange ? unpublishChange.bytes : atHead.get(UNPUBLISHED_PATH);
    const records = trustedUnpublishes(unpublishBytes && decodeUtf8(unpublishBytes), trusted).records;
    problems.push(...lockProblems(atHead.get(RELEASE_LOCK_PATH), lockChange.bytes, records));
  }
  return { changed: changes.length, problems };
}

/** Entries only move forward: removing one (without a signed unpublish record of it), or emptying or deleting the lock, is refused for everyone. */
function lockProblems(
  before: Uint8Array | undefined,
  after: Uint8Array | undefined,
  unpublished: ReadonlyMap<string, SignedUnpublish>,
): ChangeProblem[] {
  const old = before ? (parseReleaseLock(decodeUtf8(before)).entries ?? []) : [];
  const now = after === undefined ? undefined : parseReleaseLock(decodeUtf8(after)).entries;
  // A malformed new lock says nothing about its entries; verify reports it.
  if (after !== undefined && !now) return [];
  return lockRegressions(old, now, unpublished).map((r) => ({
    path: RELEASE_LOCK_PATH,
    action: 'prompt.delete',
    rule: 'protected-path',
    reason: `${r.path}: ${r.message}`,
  }));
}

function publicKeyOrUndefined(text: string | undefined) {
  if (text === undefined) return undefined;
  try {
    return importPublicKey(text);
  } catch {
    return undefined;
  }
}
