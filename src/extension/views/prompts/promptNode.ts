import * as vscode from 'vscode';
import type { IndexedPrompt } from '../../../core/index/promptIndex';
import { COMMANDS } from '../../commands/commandIds';
import type { PromptOpsModel } from '../../model/promptOpsModel';
import type { TreeNode } from '../treeNode';

/**
 * One prompt: its name, state badges (read-only, modified / published upstream, in review / approved,
 * published, changed) and menus via contextValue.
 */
export class PromptNode implements TreeNode {
  constructor(
    private readonly model: PromptOpsModel,
    readonly prompt: IndexedPrompt,
  ) {}

  /** The words shown after the name, in a fixed order; tests read them. */
  badges(): string[] {
    const verdict = this.model.editVerdict(this.prompt.path);
    const state = this.model.promptState(this.prompt);
    const out: string[] = [];
    if (verdict && !verdict.allowed) out.push('read-only');
    // The local change is what upstream published: that, not "modified", is the news.
    if (state.publishedUpstream) out.push('published upstream');
    else if (state.modified) out.push('modified');
    const review = this.model.openReviews.of(this.prompt.path);
    if (review) out.push(review.approval?.met ? 'approved' : 'in review');
    // Published upstream: the local lock is behind, and what it says about this prompt is about to be replaced.
    if (!state.publishedUpstream) {
      if (state.publishedButChanged) out.push('published, changed since');
      else if (state.published) out.push('published');
    }
    if (this.prompt.diagnostics.some((d) => d.severity === 'error')) out.push('has problems');
    return out;
  }

  /** Space-separated flags menus match with `viewItem =~ /\bflag\b/`. */
  contextValue(): string {
    const verdict = this.model.editVerdict(this.prompt.path);
    const state = this.model.promptState(this.prompt);
    const flags = ['prompt', verdict?.allowed ? 'editable' : 'locked'];
    if (state.modified) flags.push('modified');
    if (state.published) flags.push('published');
    if (state.publishedUpstream) flags.push('publishedUpstream');
    if (this.model.openReviews.of(this.prompt.path)) flags.push('inReview');
    if (this.model.decide('review.request', this.prompt.path)?.allowed) flags.push('reviewable');
    if (this.model.decide('prompt.publish', this.prompt.path)?.allowed) flags.push('publishable');
    return flags.join(' ');
  }

  getTreeItem(): vscode.TreeItem {
    const uri = this.model.uriOf(this.prompt.path);
    const item = new vscode.TreeItem(
      this.prompt.path.split('/').pop() ?? this.prompt.path,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = `prompt:${this.prompt.path}`;
    item.resourceUri = uri;
    item.iconPath = vscode.ThemeIcon.File;
    item.description = this.badges().join(' · ');
    item.contextValue = this.contextValue();
    const verdict = this.model.editVerdict(this.prompt.path);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${escape(this.prompt.model?.name ?? this.prompt.path)}**  \n`);
    tooltip.appendMarkdown(
      `\`${escape(this.prompt.path)}\` · workspace \`${escape(this.prompt.workspace)}\` · env \`${escape(this.prompt.env)}\`\n\n`,
    );
    tooltip.appendMarkdown(
      verdict?.allowed ? '$(pass) You may edit this prompt.' : `$(lock) ${escape(verdict?.reason ?? '')}`,
    );
    item.tooltip = tooltip;
    item.command = { command: COMMANDS.openPrompt, title: 'Open Prompt', arguments: [{ path: this.prompt.path }] };
    return item;
  }

  getChildren(): TreeNode[] {
    return [];
  }
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
