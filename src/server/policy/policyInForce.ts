import { parseAccessFile } from '../../core/access';
import type { AccessPolicy } from '../../core/access/accessPolicy';
import { compilePolicy, type CompiledPolicy } from '../../core/policy/compiledPolicy';
import type { PolicyVersionRecord } from '../store/policyRecords';
import type { Store } from '../store/store';

/** The access file the server decides with, compiled. `record` is absent until one is applied. */
export interface PolicyInForce {
  record: PolicyVersionRecord | undefined;
  policy: AccessPolicy;
  compiled: CompiledPolicy;
}

/** Before any apply: built-in roles, the `default` workspace, envs dev/test/prod, the default approval rule. */
const BUILTIN_ONLY_TEXT = 'version: 1\n';

/**
 * Reads the newest applied access file on each use (another server process may have
 * applied one) and compiles it once per version. A stored file that no longer parses
 * (it passed validation when applied, so only a core change could cause this) fails
 * loudly rather than deciding with something looser.
 */
export class PolicyProvider {
  private cached: PolicyInForce | undefined;

  constructor(private readonly store: Store) {}

  async current(): Promise<PolicyInForce> {
    const record = await this.store.currentPolicy();
    if (this.cached && this.cached.record?.version === record?.version) return this.cached;
    const { policy, diagnostics } = parseAccessFile(record?.content ?? BUILTIN_ONLY_TEXT);
    if (!policy) {
      throw new Error(
        `the applied access file (version ${record?.version}) no longer parses: ${diagnostics[0]?.message ?? 'unknown error'}`,
      );
    }
    this.cached = { record, policy, compiled: compilePolicy(policy) };
    return this.cached;
  }
}
