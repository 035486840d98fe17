import * as vscode from 'vscode';
import type { TreeNode } from '../treeNode';

export interface InfoNodeOptions {
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: string;
  /** Theme colour id for the icon, e.g. `problemsWarningIcon.foreground`. */
  iconColor?: string;
  contextValue?: string;
  command?: vscode.Command;
  children?: TreeNode[];
  /** Start folded (long lists, e.g. the access review's accounts). */
  collapsed?: boolean;
}

/** A labelled fact in the Access view (who I am, the server, a workspace role, drift). */
export class InfoNode implements TreeNode {
  constructor(readonly options: InfoNodeOptions) {}

  getTreeItem(): vscode.TreeItem {
    const o = this.options;
    const item = new vscode.TreeItem(
      o.label,
      o.children?.length
        ? vscode.TreeItemCollapsibleState[o.collapsed ? 'Collapsed' : 'Expanded']
        : vscode.TreeItemCollapsibleState.None,
    );
    item.id = o.id;
    item.description = o.description;
    item.tooltip = o.tooltip;
    item.iconPath = new vscode.ThemeIcon(o.icon, o.iconColor ? new vscode.ThemeColor(o.iconColor) : undefined);
    item.contextValue = o.contextValue;
    item.command = o.command;
    return item;
  }

  getChildren(): TreeNode[] {
    return this.options.children ?? [];
  }
}
