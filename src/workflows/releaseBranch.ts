import { parseAccessFile } from '../core/access';
import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { chooseReleaseBranch } from '../core/release/releaseBranch';
import type { GitRepository } from '../git/gitRepository';
import { WorkflowRefusal, type WorkingTree } from './workingTree';

/**
 * The release branch for this clone: the access file's `releaseBranch` (as it is in the
 * working tree), else the remote's default branch, else the checked-out branch.
 */
export async function releaseBranchFor(repo: GitRepository, tree: WorkingTree, remote: string): Promise<string> {
  let configured: string | undefined;
  try {
    const bytes = await tree.readFile(ACCESS_FILE_PATH);
    configured = bytes && parseAccessFile(new TextDecoder().decode(bytes)).policy?.releaseBranch;
  } catch {
    configured = undefined;
  }
  const branch = chooseReleaseBranch({
    configured,
    remoteDefault: await repo.remoteDefaultBranch(remote),
    current: await repo.currentBranch(),
  });
  if (!branch)
    throw new WorkflowRefusal(
      `no release branch: HEAD is detached and ${remote}/HEAD is unknown; set releaseBranch in ${ACCESS_FILE_PATH} ` +
        `or run \`git remote set-head ${remote} --auto\``,
    );
  return branch;
}
