import type { GitRepository } from '../git/gitRepository';

/** Runs `work` in a temporary detached worktree at `rev`, removed afterwards whatever happens. */
export async function withWorktree<T>(
  repo: GitRepository,
  dir: string,
  rev: string,
  work: (wt: GitRepository) => Promise<T>,
): Promise<T> {
  const path = `${dir}/worktree`;
  const wt = await repo.addWorktree(path, rev);
  try {
    return await work(wt);
  } finally {
    await repo.removeWorktree(path);
  }
}
