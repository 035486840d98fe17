import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { POLICY_LOCK_PATH } from '../core/release/policyLock';
import type { GitRepository } from '../git/gitRepository';
import type { ApplyPolicyResponse } from '../shared/api/policy';
import { releaseBranchOfTree } from './releaseTarget';
import { WorkflowRefusal, type WorkingTree } from './workingTree';

export interface ApplyPolicyPorts {
  repo: GitRepository;
  tree: WorkingTree;
  client: { applyPolicy(content: string, commit: string): Promise<ApplyPolicyResponse> };
  progress?: (message: string) => void;
}

export interface ApplyPolicyOptions {
  remote: string;
  /** The commit to apply from; default the tip of the remote's release branch. It must be pushed. */
  commit?: string;
}

export interface ApplyPolicyOutcome {
  response: ApplyPolicyResponse;
  commit: string;
  remote: string;
  branch: string;
  /** Where the commit was found on the remote: the release branch, or the first other branch holding it. */
  foundOn: string;
  /** `.promptops/policy.lock` was written (it differed): it must be committed with the access file. */
  lockWritten: boolean;
}

const short = (sha: string) => sha.slice(0, 7);
const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a !== undefined && b !== undefined && Buffer.from(a).equals(Buffer.from(b));

/**
 * `apply`: the access file as committed at a pushed commit (default: the tip of the
 * remote's release branch), never the working tree's, sent with that commit's id; the
 * server answers with its signed policy record, written to `.promptops/policy.lock` for
 * the admin to commit (`verify --base` accepts an access file change only with it). A
 * working-tree access file that differs from the one applied is refused, so nobody
 * applies one thing while looking at another.
 */
export async function applyCommittedPolicy(
  ports: ApplyPolicyPorts,
  options: ApplyPolicyOptions,
): Promise<ApplyPolicyOutcome> {
  const { repo, tree } = ports;
  const { remote } = options;
  const progress = ports.progress ?? (() => undefined);
  const branch = await releaseBranchOfTree(repo, tree, remote);
  // A clone with no remote (one person, the demo) has nothing to push to: the release
  // branch's own committed tip is what everyone there sees.
  const shared = (await repo.remoteUrl(remote)) !== undefined;
  let tip: string | undefined;
  if (shared) {
    progress(`fetching ${remote}/${branch}…`);
    tip = await repo.fetchBranch(remote, branch);
    if (!tip)
      throw new WorkflowRefusal(
        `${remote} has no branch ${branch}: apply reads the access file as committed there. Push it first (\`git push -u ${remote} ${branch}\`). Nothing was applied.`,
      );
  } else {
    tip = await repo.resolveCommit(branch).catch(() => undefined);
    if (!tip)
      throw new WorkflowRefusal(
        `branch ${branch} has no commits: apply reads the access file as committed there. Commit it first. Nothing was applied.`,
      );
  }
  let commit = tip;
  let foundOn = shared ? branch : `${branch} (no remote ${remote}: this clone's own branch)`;
  if (options.commit !== undefined) {
    try {
      commit = await repo.resolveCommit(options.commit);
    } catch {
      throw new WorkflowRefusal(`${options.commit} names no commit in this repository. Nothing was applied.`);
    }
    if (!(await repo.isAncestor(commit, tip))) {
      const branches = shared ? await repo.remoteBranchesContaining(remote, commit) : [];
      if (branches.length === 0)
        throw new WorkflowRefusal(
          shared
            ? `commit ${short(commit)} is not pushed to ${remote}: apply only takes an access file everyone can fetch. Push it, then apply again. Nothing was applied.`
            : `commit ${short(commit)} is not on ${branch}: apply takes the access file from the release branch. Nothing was applied.`,
        );
      foundOn = branches[0];
    }
  }
  const committed = await repo.fileAt(commit, ACCESS_FILE_PATH);
  if (committed === undefined)
    throw new WorkflowRefusal(
      `commit ${short(commit)} (${remote}/${foundOn}) has no ${ACCESS_FILE_PATH}. Nothing was applied.`,
    );
  const local = await tree.readFile(ACCESS_FILE_PATH);
  if (!sameBytes(local, committed))
    throw new WorkflowRefusal(
      `${ACCESS_FILE_PATH} in your working tree is not the one committed at ${short(commit)} (${remote}/${foundOn}): ` +
        'apply never sends uncommitted or unpushed changes. Commit and push them (or pull to catch up), then apply again. Nothing was applied.',
    );
  progress(`applying ${ACCESS_FILE_PATH} from ${short(commit)}…`);
  const response = await ports.client.applyPolicy(new TextDecoder().decode(committed), commit);
  let lockWritten = false;
  const record = response.policy.record;
  if (record !== null) {
    const bytes = new TextEncoder().encode(record);
    if (!sameBytes(await tree.readFile(POLICY_LOCK_PATH), bytes)) {
      await tree.writeFile(POLICY_LOCK_PATH, bytes);
      lockWritten = true;
    }
  }
  return { response, commit, remote, branch, foundOn, lockWritten };
}
