import * as vscode from 'vscode';
import type { BuiltinRole } from '../../core/policy/actions';
import { revertFile } from '../enforcement/revertFile';
import type { PromptOpsModel } from '../model/promptOpsModel';
import type { AccessTreeDataProvider } from '../views/access/accessTreeDataProvider';
import { PromptNode } from '../views/prompts/promptNode';
import type { UsersTreeDataProvider } from '../views/users/usersTreeDataProvider';
import type { PublishRequest } from '../reviews/publishFlow';
import {
  approveReviewCommand,
  checkoutReviewCommand,
  openReviewCommand,
  openReviewDiffCommand,
  publishReviewCommand,
  requestChangesCommand,
  requestReviewCommand,
  type ReviewCommandDeps,
  type ReviewTarget,
} from '../reviews/reviewCommands';
import { applyAccessFileCommand } from './applyAccessFileCommand';
import { COMMANDS, type CommandId } from './commandIds';
import { createAccessFileCommand } from './createAccessFileCommand';
import { explainAccessCommand } from './explainAccessCommand';
import { showAuditLogCommand } from './showAuditLogCommand';
import { createApiKeyCommand, revokeApiKeyCommand, type ApiKeyTarget, type CreateApiKeyArgs } from './apiKeyCommands';
import { installGitHookCommand } from './installGitHookCommand';
import { newPromptCommand } from './newPromptCommand';
import { registerSigningKeyCommand, type RegisterSigningKeyArgs } from './registerSigningKeyCommand';
import type { RunPromptArgs } from './runPromptCommand';
import type { EvaluatePromptArgs } from './evaluatePromptCommand';
import { loadRunPrompt } from '../lazyModules';
import { setModelApiKeyCommand } from '../run/modelApiKey';
import { signInCommand, type SignInArgs } from './signInCommand';
import { switchWorkspaceCommand } from './switchWorkspaceCommand';
import { syncCommand } from './syncCommand';
import {
  addUserCommand,
  changeUserRoleCommand,
  removeUserCommand,
  type AddUserArgs,
  type UserTarget,
} from './userCommands';

export interface CommandContext {
  model: PromptOpsModel;
  users: UsersTreeDataProvider;
  access: AccessTreeDataProvider;
  review: ReviewCommandDeps;
  extensionPath: string;
  log: vscode.LogOutputChannel;
  /** The model endpoint's API key (Set Model API Key). */
  secrets: vscode.SecretStorage;
}

/** A tree node, a `{ path }` (scripted callers) or a file URI (Explorer, editor menus) → repo path. */
type FileTarget = PromptNode | vscode.Uri | { path: string } | undefined;

function targetPath(model: PromptOpsModel, target: FileTarget): string | undefined {
  if (target instanceof PromptNode) return target.prompt.path;
  if (target instanceof vscode.Uri) return model.relativePath(target);
  if (target && typeof target.path === 'string') return target.path;
  const active = vscode.window.activeTextEditor?.document.uri;
  return active && model.relativePath(active);
}

/** Registers every command in COMMANDS (and only those); each handler returns its result for scripted callers. */
export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const { model, users, access, review, log, secrets } = ctx;
  /** Registered on first use (the audit log's read-only documents). */
  const lazy: vscode.Disposable[] = [];
  const handlers: Record<CommandId, (...args: never[]) => unknown> = {
    [COMMANDS.signIn]: (args?: SignInArgs) => signInCommand(model, log, args),
    [COMMANDS.signOut]: async () => {
      await model.session.signOut();
      void vscode.window.showInformationMessage(
        'PromptOps: signed out. Prompts here are read-only until you sign in again.',
      );
    },
    [COMMANDS.switchWorkspace]: (name?: string) => switchWorkspaceCommand(model, name),
    [COMMANDS.refresh]: async () => {
      await model.session.refresh().catch(() => undefined);
      // Fetch the release branch, so the Prompts view can show what was published upstream.
      await model.repository().fetchUpstream(model.index?.policy.releaseBranch);
      await model.reload();
      await Promise.all([users.reload(), access.refreshDrift(), review.reviews.reload()]);
    },
    [COMMANDS.explainAccess]: (target?: FileTarget) => {
      const path = targetPath(model, target);
      return explainAccessCommand(model, path === undefined ? undefined : { path });
    },
    [COMMANDS.newPrompt]: (args?: { path: string }) => newPromptCommand(model, args),
    [COMMANDS.createAccessFile]: () => createAccessFileCommand(vscode.workspace.workspaceFolders?.[0]?.uri),
    [COMMANDS.installGitHook]: () => installGitHookCommand(model, ctx.extensionPath, log),
    [COMMANDS.registerSigningKey]: (args?: RegisterSigningKeyArgs) =>
      // From a menu the argument is a tree node: only a scripted caller's { keyFile } counts.
      registerSigningKeyCommand(
        model,
        args && typeof args.keyFile === 'string' ? { keyFile: args.keyFile, configureGit: args.configureGit } : {},
      ),
    [COMMANDS.addUser]: (args?: AddUserArgs) => addUserCommand(model.session, users, args),
    [COMMANDS.changeUserRole]: (target?: UserTarget, role?: BuiltinRole) =>
      changeUserRoleCommand(model.session, users, target, role),
    [COMMANDS.removeUser]: (target?: UserTarget, options?: { confirmed: boolean }) =>
      removeUserCommand(model.session, users, target, options),
    [COMMANDS.revertFile]: async (target?: FileTarget) => {
      const path = targetPath(model, target);
      if (path === undefined) return 'nothing';
      return revertFile(model.uriOf(path), path, await model.repository().repository());
    },
    [COMMANDS.openPrompt]: async (target?: FileTarget) => {
      const path = targetPath(model, target);
      if (path !== undefined) await vscode.window.showTextDocument(model.uriOf(path), { preview: true });
    },
    [COMMANDS.requestReview]: (target?: PromptNode | vscode.Uri | { path: string; note?: string }) =>
      requestReviewCommand(review, target instanceof PromptNode ? { path: target.prompt.path } : target),
    [COMMANDS.openReview]: (target?: ReviewTarget) => openReviewCommand(review, target),
    [COMMANDS.approveReview]: (target?: ReviewTarget, note?: string) => approveReviewCommand(review, target, note),
    [COMMANDS.requestChanges]: (target?: ReviewTarget, note?: string) => requestChangesCommand(review, target, note),
    [COMMANDS.publishReview]: (target?: ReviewTarget | PromptNode, options?: PublishRequest) =>
      publishReviewCommand(review, target instanceof PromptNode ? { path: target.prompt.path } : target, options),
    [COMMANDS.checkoutReview]: (target?: ReviewTarget, options?: { scripted: boolean }) =>
      checkoutReviewCommand(review, target, options),
    [COMMANDS.openReviewDiff]: (target?: ReviewTarget) => openReviewDiffCommand(review, target),
    [COMMANDS.syncUpstream]: (_target?: PromptNode, options?: { scripted: boolean }) => syncCommand(model, options),
    [COMMANDS.applyAccessFile]: async (options?: { scripted: boolean }) => {
      const result = await applyAccessFileCommand(model, options?.scripted ?? false);
      await access.refreshDrift();
      return result;
    },
    [COMMANDS.showAuditLog]: () => showAuditLogCommand(model, lazy),
    [COMMANDS.createApiKey]: (args?: CreateApiKeyArgs) => createApiKeyCommand(model, access, args),
    [COMMANDS.revokeApiKey]: (target?: ApiKeyTarget, options?: { confirmed: boolean }) =>
      revokeApiKeyCommand(model.session, access, target, options),
    // Run and Evaluate live in dist/run.js with what they load (lazyModules.ts).
    [COMMANDS.runPrompt]: async (target?: FileTarget | RunPromptArgs) => {
      const scripted = target && !(target instanceof PromptNode) && !(target instanceof vscode.Uri);
      const args: RunPromptArgs = scripted ? target : {};
      const path = scripted ? args.path : targetPath(model, target);
      return (await loadRunPrompt()).runPromptCommand(model, lazy, secrets, {
        ...args,
        ...(path === undefined ? {} : { path }),
      });
    },
    [COMMANDS.evaluatePrompt]: async (target?: FileTarget | EvaluatePromptArgs) => {
      const scripted = target && !(target instanceof PromptNode) && !(target instanceof vscode.Uri);
      const args: EvaluatePromptArgs = scripted ? target : {};
      const path = scripted ? args.path : targetPath(model, target);
      return (await loadRunPrompt()).evaluatePromptCommand(model, lazy, secrets, {
        ...args,
        ...(path === undefined ? {} : { path }),
      });
    },
    [COMMANDS.setModelApiKey]: (args?: { apiKey: string }) => setModelApiKeyCommand(secrets, args),
  };
  const disposeLazy = new vscode.Disposable(() => {
    for (const d of lazy) d.dispose();
  });
  return [
    disposeLazy,
    ...Object.entries(handlers).map(([id, handler]) =>
      vscode.commands.registerCommand(id, async (...args: never[]) => {
        try {
          return await handler(...args);
        } catch (err) {
          log.error(`${id}: ${(err as Error).stack ?? String(err)}`);
          throw err;
        }
      }),
    ),
  ];
}
