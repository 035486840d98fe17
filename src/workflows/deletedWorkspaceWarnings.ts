import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import { deletedWorkspaceDiagnostics } from '../core/access/deletedWorkspaceAdvice';
import type { Diagnostic } from '../core/diagnostics';
import type { PromptOpsClient } from '../client/promptOpsClient';

/**
 * Warnings for the workspaces the access file declares that were deleted on the server (they
 * grant nothing there until an admin re-creates them), located at their keys. Asks the server
 * (`promptops lint`; the Access view has the names from its model and calls the core function).
 */
export async function deletedWorkspaceWarnings(
  client: Pick<PromptOpsClient, 'listDeletedWorkspaces'>,
  accessFileText: string,
  file: string = ACCESS_FILE_PATH,
): Promise<Diagnostic[]> {
  const deleted = await client.listDeletedWorkspaces();
  return deletedWorkspaceDiagnostics(
    accessFileText,
    deleted.map((d) => d.name),
    file,
  );
}
