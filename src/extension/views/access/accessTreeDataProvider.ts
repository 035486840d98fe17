import * as vscode from 'vscode';
import type { Actor } from '../../../core/policy/decision';
import { decideOrgAction } from '../../../core/policy/orgDecision';
import { COMMANDS } from '../../commands/commandIds';
import type { PromptOpsModel } from '../../model/promptOpsModel';
import type { TreeNode } from '../treeNode';
import type { ApiKeyDto } from '../../../shared/api/apiKeys';
import type { AccessReviewResponse } from '../../../shared/api/accessReview';
import { ACCESS_FILE_PATH } from '../../../core/access/accessPolicy';
import { fieldPath, formatDiagnostic, type Diagnostic } from '../../../core/diagnostics';
import { InfoNode } from './infoNode';
import { policyDrift, type PolicyDrift } from './policyDrift';
import { accessReviewNode } from './accessReviewNode';
import { loadDeletedWorkspaceAdvice } from '../../lazyModules';

/** The access review is for whoever manages users (its route's action), as the server decides it. */
const mayManageUsers = (user: Actor): boolean => decideOrgAction(user, 'user.manage').allowed;

/** Tree ids of API-key rows: this prefix and the key's id. */
export const API_KEY_NODE_PREFIX = 'access:apiKey:';

/** Access view: who I am, the server and whether it answers, my role per workspace, access-file drift. */
export class AccessTreeDataProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private drift: PolicyDrift = { kind: 'unknown', reason: 'Not checked yet.' };
  private apiKeys: ApiKeyDto[] = [];
  /** Workspaces the access file declares that the server deleted: they grant nothing there. */
  private deletedWorkspaces: Diagnostic[] = [];
  /** Admins only: who may do what where, and what to clean up (the server refuses everyone else). */
  private review: AccessReviewResponse | undefined;

  constructor(private readonly model: PromptOpsModel) {
    this.subscriptions.push(model.onDidChange(() => this.changed.fire(undefined)));
    this.subscriptions.push(model.session.onDidChange(() => void this.refreshDrift()));
    this.subscriptions.push(model.session.onDidChange(() => void this.reloadApiKeys()));
    this.subscriptions.push(model.session.onDidChange(() => void this.reloadReview()));
  }

  /** My API keys (an admin: everyone's), as the server lists them; the last list stays while offline. */
  get loadedApiKeys(): readonly ApiKeyDto[] {
    return this.apiKeys;
  }

  async reloadApiKeys(): Promise<void> {
    const state = this.model.session.state;
    if (state.kind === 'signedIn') {
      try {
        this.apiKeys = await this.model.session.api().listApiKeys();
      } catch {
        // The static token and keys without apikey.manage may not list keys: show none.
        this.apiKeys = [];
      }
    } else if (state.kind === 'signedOut') {
      this.apiKeys = [];
    }
    this.changed.fire(undefined);
  }

  /** Asks the server for the access review when I may manage users; keeps the last one while offline. */
  async reloadReview(): Promise<AccessReviewResponse | undefined> {
    const state = this.model.session.state;
    if (state.kind === 'signedIn' && mayManageUsers(state.user)) {
      this.review = await this.model.session
        .api()
        .accessReview()
        .catch(() => undefined);
    } else if (state.kind !== 'offline') this.review = undefined;
    this.changed.fire(undefined);
    return this.review;
  }

  /** Compares the access file with the server's, and asks which declared workspaces it deleted. */
  async refreshDrift(): Promise<PolicyDrift> {
    [this.drift, this.deletedWorkspaces] = await Promise.all([policyDrift(this.model), this.askDeletedWorkspaces()]);
    this.changed.fire(undefined);
    return this.drift;
  }

  private async askDeletedWorkspaces(): Promise<Diagnostic[]> {
    if (this.model.session.state.kind !== 'signedIn') return [];
    try {
      // The editor's decisions follow the server's deletions too (the model hands them to the index).
      const deleted = await this.model.refreshDeletedWorkspaces();
      const bytes = await vscode.workspace.fs.readFile(this.model.uriOf(ACCESS_FILE_PATH));
      const { deletedWorkspaceDiagnostics } = await loadDeletedWorkspaceAdvice();
      return deletedWorkspaceDiagnostics(new TextDecoder().decode(bytes), deleted, ACCESS_FILE_PATH);
    } catch {
      // No access file, or the server did not answer: the drift row already says which.
      return [];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] {
    if (node) return node.getChildren();
    return this.rootNodes();
  }

  /** The nodes, also read by tests. Empty while signed out, so the welcome text with Sign In shows. */
  rootNodes(): InfoNode[] {
    const state = this.model.session.state;
    if (state.kind === 'signedOut') return [];
    const { user } = state;
    const offline = state.kind === 'offline';
    const current = this.model.currentWorkspace();
    // Those the server deleted are gone from decisions, but still listed here with the warning.
    const declared = this.model.index?.declaredPolicy.workspaces.map((w) => w.name) ?? [];
    const workspaces = [...new Set([...this.model.workspaceNames(), ...declared])].map((w) => {
      const role = this.model.roleIn(w);
      const deleted = this.deletedWorkspaces.find((d) => d.field === fieldPath(['workspaces', w]));
      if (deleted)
        return new InfoNode({
          id: `access:workspace:${w}`,
          label: w,
          description: `deleted on the server · ${deleted.file}:${deleted.line}`,
          tooltip: formatDiagnostic(deleted),
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
          contextValue: 'accessWorkspace deleted',
          command: { command: COMMANDS.switchWorkspace, title: 'Switch Workspace', arguments: [w] },
        });
      return new InfoNode({
        id: `access:workspace:${w}`,
        label: w,
        description: `${role?.role ?? '?'}${role?.source === 'member' ? ' (member)' : ' (org role)'}${w === current ? ' · current' : ''}`,
        icon: w === current ? 'pass-filled' : 'organization',
        contextValue: 'accessWorkspace',
        command: { command: COMMANDS.switchWorkspace, title: 'Switch Workspace', arguments: [w] },
      });
    });
    return [
      new InfoNode({
        id: 'access:user',
        label: user.username,
        description: `${user.role} (org role)${user.authMethod === 'static-token' ? ' · static token' : ''}`,
        icon: 'account',
        contextValue: 'accessUser',
      }),
      new InfoNode({
        id: 'access:server',
        label: 'Server',
        description: offline ? `${user.serverUrl} · unreachable` : user.serverUrl,
        tooltip: offline
          ? `${state.error} Showing the last known identity, read-only; nothing can be approved or published until it answers.`
          : `Connected to ${user.serverUrl}`,
        icon: offline ? 'cloud-offline' : 'cloud',
        iconColor: offline ? 'problemsWarningIcon.foreground' : undefined,
        contextValue: offline ? 'accessServer offline' : 'accessServer',
      }),
      new InfoNode({ id: 'access:workspaces', label: 'Workspaces', icon: 'folder-library', children: workspaces }),
      this.driftNode(),
      this.apiKeysNode(),
      ...(this.review && mayManageUsers(state.user) ? [accessReviewNode(this.review)] : []),
    ];
  }

  private apiKeysNode(): InfoNode {
    const now = Date.now();
    const keys = this.apiKeys.map(
      (k) =>
        new InfoNode({
          id: `${API_KEY_NODE_PREFIX}${k.id}`,
          label: k.name,
          description: `${k.scope.actions.join(', ')} · ${Date.parse(k.expiresAt) <= now ? 'expired' : `until ${k.expiresAt.slice(0, 10)}`}`,
          tooltip: [
            `Acts as ${k.createdBy}, never beyond their current rights.`,
            `Actions: ${k.scope.actions.join(', ')}`,
            `Workspaces: ${k.scope.workspaces?.join(', ') ?? 'all'}; envs: ${k.scope.envs?.join(', ') ?? 'all'}`,
            `Expires ${k.expiresAt}; ${k.lastUsedAt ? `last used ${k.lastUsedAt}` : 'never used'}.`,
          ].join('\n'),
          icon: 'key',
          contextValue: 'accessApiKey',
        }),
    );
    return new InfoNode({
      id: 'access:apiKeys',
      label: 'API keys',
      description: keys.length === 0 ? 'none' : String(keys.length),
      icon: 'key',
      contextValue: 'accessApiKeys',
      children: keys,
    });
  }

  private driftNode(): InfoNode {
    const d = this.drift;
    const base = { id: 'access:drift', label: 'Access file', contextValue: `accessDrift ${d.kind}` };
    switch (d.kind) {
      case 'in-sync':
        return new InfoNode({ ...base, description: `matches the server (version ${d.version})`, icon: 'pass' });
      case 'differs':
        return new InfoNode({
          ...base,
          description: `differs from the server's (version ${d.version})`,
          tooltip: `The server enforces version ${d.version}, applied by ${d.appliedBy ?? 'the static token'} at ${d.appliedAt}. Approvals and publishing follow the server's copy; an admin applies the repository's with \`promptops apply\`.`,
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
        });
      case 'not-applied':
        return new InfoNode({
          ...base,
          description: 'not applied on the server yet',
          tooltip: 'An admin uploads it with `promptops apply`.',
          icon: 'warning',
          iconColor: 'problemsWarningIcon.foreground',
        });
      default:
        return new InfoNode({ ...base, description: 'not compared', tooltip: d.reason, icon: 'question' });
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
