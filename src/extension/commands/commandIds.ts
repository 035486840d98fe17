/**
 * Every command the extension registers, by id. package.json `contributes.commands`
 * must list exactly these (scripts/checkCommands.ts and the VS Code suite check both ways).
 */
export const COMMANDS = {
  signIn: 'promptops.signIn',
  signOut: 'promptops.signOut',
  switchWorkspace: 'promptops.switchWorkspace',
  refresh: 'promptops.refreshViews',
  explainAccess: 'promptops.explainAccess',
  newPrompt: 'promptops.newPrompt',
  createAccessFile: 'promptops.createAccessFile',
  installGitHook: 'promptops.installGitHook',
  registerSigningKey: 'promptops.registerSigningKey',
  addUser: 'promptops.addUser',
  changeUserRole: 'promptops.changeUserRole',
  removeUser: 'promptops.removeUser',
  revertFile: 'promptops.revertFile',
  openPrompt: 'promptops.openPrompt',
  requestReview: 'promptops.requestReview',
  openReview: 'promptops.openReview',
  approveReview: 'promptops.approveReview',
  requestChanges: 'promptops.requestChanges',
  publishReview: 'promptops.publishReview',
  checkoutReview: 'promptops.checkoutReview',
  openReviewDiff: 'promptops.openReviewDiff',
  syncUpstream: 'promptops.syncUpstream',
  applyAccessFile: 'promptops.applyAccessFile',
  showAuditLog: 'promptops.showAuditLog',
  createApiKey: 'promptops.createApiKey',
  revokeApiKey: 'promptops.revokeApiKey',
  runPrompt: 'promptops.runPrompt',
  evaluatePrompt: 'promptops.evaluatePrompt',
  setModelApiKey: 'promptops.setModelApiKey',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];
