import { parseAccessFile } from '../core/access';
import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { chooseReleaseBranch } from '../core/release/releaseBranch';
import type { GitRepository } from '../git/gitRepository';
import { WorkflowRefusal, type WorkingTree } from './workingTree';

/** The remote PromptOps pushes to and syncs from. */
export const RELEASE_REMOTE = 'origin';

/**
 * The release branch of this clone: `configured` (the access file's `releaseBranch`), else
 * the remote's default branch, else the checked-out branch. The CLI and the extension each
 * read the access file their own way and ask here.
 */
export async function releaseBranchFor(
  repo: GitRepository,
  configured: string | undefined,
  remote: string = RELEASE_REMOTE,
): Promise<string> {
  const branch = chooseReleaseBranch({
    configured,
    remoteDefault: await repo.remoteDefaultBranch(remote),
    current: await repo.currentBranch(),
  });
  if (!branch)
    throw new WorkflowRefusal(
      `no release branch: HEAD is detached and ${remote}/HEAD is unknown; set releaseBranch in .promptops/access.yaml ` +
        `or run \`git remote set-head ${remote} --auto\``,
    );
  return branch;
}

/** The release branch, with the access file's `releaseBranch` as it is in `tree` (the working tree). */
export async function releaseBranchOfTree(
  repo: GitRepository,
  tree: WorkingTree,
  remote: string = RELEASE_REMOTE,
): Promise<string> {
  let configured: string | undefined;
  try {
    const bytes = await tree.readFile(ACCESS_FILE_PATH);
    configured = bytes && parseAccessFile(new TextDecoder().decode(bytes)).policy?.releaseBranch;
  } catch {
    configured = undefined;
  }
  return releaseBranchFor(repo, configured, remote);
}
