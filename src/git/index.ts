export type {
  ChangeStatus,
  ChangeWithContent,
  CommitInfo,
  CommitWithChanges,
  FileChange,
  GitRepository,
} from './gitRepository';
export { openGitRepository, GitCliRepository } from './gitCliRepository';
export { GitCommandError, runGit } from './gitRunner';
export { parseNameStatusZ, parseNulList } from './nameStatus';
export { parseCommitLog, COMMIT_LOG_FORMAT } from './commitLog';
export { parseCatFileBatch } from './catFileBatch';
