export type {
  BlobRequest,
  ChangeStatus,
  ChangeWithContent,
  CommitInfo,
  CommitWithChanges,
  FileChange,
  GitObjectReader,
  GitRepository,
  PushOutcome,
} from './gitRepository';
export { parsePushPorcelain, pushRefStatus, type PushedRef } from './pushPorcelain';
export { openGitRepository, GitCliRepository } from './gitCliRepository';
export {
  GitCommandError,
  runGit,
  startGitHere,
  startGitProcessesWith,
  type GitProcessResult,
  type GitProcessStarter,
} from './gitRunner';
export { parseNulList, parseRawDiffZ, SYMLINK_MODE } from './nameStatus';
export { parseCommitLog, COMMIT_LOG_FORMAT } from './commitLog';
export { parseCatFileBatch } from './catFileBatch';
