import * as vscode from 'vscode';
import { auditEntryLine } from '../../core/audit/auditLines';
import type { AuditEntryDto } from '../../shared/api/audit';
import type { PromptOpsModel } from '../model/promptOpsModel';

const SCHEME = 'promptops-audit';
/** Entries shown at most (the newest); `promptops audit --json` exports all of them. */
const SHOWN = 2000;

let provider: AuditLogContentProvider | undefined;

/** Read-only documents under `promptops-audit:`; registered on first use, so activation pays nothing. */
class AuditLogContentProvider implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private text = '';

  set(uri: vscode.Uri, text: string): void {
    this.text = text;
    this.changed.fire(uri);
  }

  provideTextDocumentContent(): string {
    return this.text;
  }
}

/** PromptOps: Show Audit Log (admins): the server's audit log, oldest first, in a read-only editor. */
export async function showAuditLogCommand(
  model: PromptOpsModel,
  subscriptions: vscode.Disposable[],
): Promise<vscode.TextDocument> {
  if (!provider) {
    provider = new AuditLogContentProvider();
    subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(SCHEME, provider));
  }
  const client = model.session.api();
  const entries: AuditEntryDto[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.listAudit({ limit: 200, ...(cursor ? { cursor } : {}) });
    entries.push(...page.entries);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && entries.length < SHOWN);
  const header = `# PromptOps audit log of ${client.server}: the newest ${entries.length} entries, oldest first. Export and verify all of it with \`promptops audit --json\` and \`promptops audit verify\`.`;
  const uri = vscode.Uri.parse(`${SCHEME}:Audit Log.log`);
  provider.set(uri, [header, ...entries.reverse().map(auditEntryLine)].join('\n') + '\n');
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}
