import { fieldPath, type Diagnostic } from '../diagnostics';
import { TextPositions } from '../textPositions';
import { YamlSource } from '../yamlSource';
import { ACCESS_FILE_PATH } from './accessPolicy';

/** What to do about workspaces the access file declares but the server deleted, in one sentence. */
export function stillDeletedMessage(names: readonly string[]): string {
  const list = names.map((n) => `\`${n}\``).join(', ');
  return (
    `Still deleted on the server: ${list} (the access file declares ${names.length === 1 ? 'it' : 'them'}, ` +
    `but a deleted workspace grants nothing and its prompts are in \`default\`). Remove ` +
    `${names.length === 1 ? 'it' : 'them'} from ${ACCESS_FILE_PATH}, or have an admin re-create ` +
    `${names.length === 1 ? 'it' : 'them'} (POST /api/workspaces with the name).`
  );
}

/**
 * A warning at each `workspaces.<name>` key of the access file that names a workspace deleted
 * on the server (names compare case-insensitively, as the server's do), saying what to do.
 */
export function deletedWorkspaceDiagnostics(
  accessFileText: string,
  deleted: readonly string[],
  file: string = ACCESS_FILE_PATH,
): Diagnostic[] {
  if (deleted.length === 0) return [];
  const source = new YamlSource(file, accessFileText, new TextPositions(accessFileText));
  const data = source.toJS() as { workspaces?: unknown } | undefined;
  const declared = data && typeof data.workspaces === 'object' && data.workspaces ? Object.keys(data.workspaces) : [];
  const gone = new Set(deleted.map((n) => n.toLowerCase()));
  return declared
    .filter((name) => name !== 'default' && gone.has(name.toLowerCase()))
    .map((name) => {
      const at = source.locate(['workspaces', name], 'key');
      return {
        file,
        line: at.line,
        column: at.column,
        field: fieldPath(['workspaces', name]),
        message:
          `workspace \`${name}\` was deleted on the server: it grants nothing and its prompts are in \`default\`. ` +
          `Remove it from the access file, or have an admin re-create it (POST /api/workspaces with the name).`,
        severity: 'warning' as const,
      };
    });
}
