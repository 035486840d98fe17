import { stringify } from 'yaml';
import { ACCESS_FILE_PATH } from './accessPolicy';

/** How the creator of a workspace binds people to it: an access-file entry to add, and what then. */
export interface WorkspaceBinding {
  file: string;
  /** YAML to merge under the access file's `workspaces:` (shown with its key, to paste whole into a file that has none). */
  snippet: string;
  next: string;
}

/**
 * A workspace made through the API groups nothing and binds nobody until the access file
 * declares it: this is the declaration, with its creator bound as `editor` (an admin is admin
 * everywhere anyway) and a `paths` glob to adjust.
 */
export function workspaceBinding(name: string, creator: string | null): WorkspaceBinding {
  const members = creator ? { [creator]: 'editor' } : {};
  const snippet = stringify(
    { workspaces: { [name]: { paths: [`prompts/${name}/**`], members } } },
    { flowCollectionPadding: false },
  );
  return {
    file: ACCESS_FILE_PATH,
    snippet,
    next: `Add it to ${ACCESS_FILE_PATH} (under \`workspaces:\`), bind people in \`members\` (username: role), and have an admin apply it (promptops apply): until then the workspace holds no prompts and binds nobody.`,
  };
}
