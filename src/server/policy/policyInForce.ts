import { parseAccessFile } from '../../core/access';
import type { AccessPolicy } from '../../core/access/accessPolicy';
import { withoutDeletedWorkspaces } from '../../core/access/withoutDeletedWorkspaces';
import { compilePolicy, type CompiledPolicy } from '../../core/policy/compiledPolicy';
import type { PolicyVersionRecord } from '../store/policyRecords';
import type { Store } from '../store/store';

/**
 * The access file the server decides with, compiled. `record` is absent until one is applied.
 * `policy` lacks the workspaces deleted through the API (`deletedWorkspaces`), even when the
 * applied file still declares them.
 */
export interface PolicyInForce {
  record: PolicyVersionRecord | undefined;
  policy: AccessPolicy;
  compiled: CompiledPolicy;
  /** Names of the workspaces deleted through the API and not re-created. */
  deletedWorkspaces: string[];
}

/** Before any apply: built-in roles, the `default` workspace, envs dev/test/prod, the default approval rule. */
const BUILTIN_ONLY_TEXT = 'version: 1\n';

/**
 * Reads the newest applied access file's version and the deleted workspaces on each use (another
 * server process may have changed either) and compiles once per version and deletions. A stored file that no longer parses
 * (it passed validation when applied, so only a core change could cause this) fails
 * loudly rather than deciding with something looser.
 */
export class PolicyProvider {
  private cached: (PolicyInForce & { key: string }) | undefined;

  constructor(private readonly store: Store) {}

  async current(): Promise<PolicyInForce> {
    // On every request: the version number only (a stored version never changes), the file
    // itself (up to 1 MB) only when the number moved.
    const [version, deleted] = await Promise.all([
      this.store.currentPolicyVersion(),
      this.store.listDeletedWorkspaces(),
    ]);
    const deletedWorkspaces = deleted.map((d) => d.name);
    const keyOf = (v: number) => `${v}\0${deletedWorkspaces.join('\0')}`;
    if (this.cached?.key === keyOf(version)) return this.cached;
    const record = version === 0 ? undefined : await this.store.currentPolicy();
    const key = keyOf(record?.version ?? 0);
    const { policy, diagnostics } = parseAccessFile(record?.content ?? BUILTIN_ONLY_TEXT);
    if (!policy) {
      throw new Error(
        `the applied access file (version ${record?.version}) no longer parses: ${diagnostics[0]?.message ?? 'unknown error'}`,
      );
    }
    const inForce = withoutDeletedWorkspaces(policy, deletedWorkspaces);
    this.cached = { key, record, policy: inForce, compiled: compilePolicy(inForce), deletedWorkspaces };
    return this.cached;
  }
}
