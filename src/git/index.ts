export type {
  ChangeStatus,
  ChangeWithContent,
  CommitInfo,
  CommitWithChanges,
  FileChange,
  GitRepository,
} from './gitRepository';
export { openGitRepository, SimpleGitRepository } from './simpleGitRepository';
export { parseNulList, parseRawDiffZ, SYMLINK_MODE } from './nameStatus';
export { parseCommitLog, COMMIT_LOG_FORMAT } from './commitLog';
export { parseCatFileBatch } from './catFileBatch';
