export * from './accessPolicy';
export type {
  AccessFileDocument,
  ApprovalRuleDocument,
  EnvironmentRuleDocument,
  RoleDocument,
  WorkspaceDocument,
} from './accessFileDocument';
export { ACCESS_SCHEMA, validateAccessFile } from './accessSchema';
export {
  parseAccessFile,
  parseAccessFileInSteps,
  MAX_ACCESS_FILE_LENGTH,
  type ParsedAccessFile,
} from './parseAccessFile';
export { pathGlobProblem } from './pathGlobs';
export { roleAncestors, roleExtends, findRoleCycles } from './roleChain';
export { closestName, didYouMean } from './suggest';
