/**
 * How to open the pull (merge) request for a publish that a protected release branch sent to
 * a branch of its own: the command lines (GitHub's `gh`, GitLab's `glab`), and a web address
 * when the remote is on github.com or a GitLab host. Shared by `publish --push` and the extension.
 */
export function pullRequestCommands(base: string, head: string, reviewId: string): { gh: string; glab: string } {
  return {
    gh: `gh pr create --base ${base} --head ${head} --title "Publish review #${reviewId}" --fill`,
    glab: `glab mr create --target-branch ${base} --source-branch ${head} --fill`,
  };
}

/** The page that opens a pull request from `head` into `base`; undefined for a host it does not know (or a local path). */
export function pullRequestUrl(remoteUrl: string, base: string, head: string): string | undefined {
  const repo = webRepository(remoteUrl);
  if (!repo) return undefined;
  const q = encodeURIComponent;
  if (repo.host === 'github.com') return `https://github.com/${repo.path}/compare/${q(base)}...${q(head)}?expand=1`;
  if (/(^|\.)gitlab\./.test(repo.host))
    return (
      `https://${repo.host}/${repo.path}/-/merge_requests/new?` +
      `merge_request%5Bsource_branch%5D=${q(head)}&merge_request%5Btarget_branch%5D=${q(base)}`
    );
  return undefined;
}

/** `https://host/a/b(.git)`, `ssh://git@host(:port)/a/b(.git)` or `git@host:a/b(.git)` → host and `a/b`. */
function webRepository(url: string): { host: string; path: string } | undefined {
  const m =
    /^(?:https?|ssh|git):\/\/(?:[^@/]+@)?([^/:]+)(?::\d+)?\/(.+?)(?:\.git)?\/?$/.exec(url) ??
    /^[^@/]+@([^:/]+):(?!\/)(.+?)(?:\.git)?\/?$/.exec(url);
  if (!m || !/^[\w.-]+$/.test(m[1]) || !/^[\w.-]+(?:\/[\w.-]+)+$/.test(m[2])) return undefined;
  if (m[2].split('/').some((segment) => segment === '.' || segment === '..')) return undefined;
  return { host: m[1].toLowerCase(), path: m[2] };
}
