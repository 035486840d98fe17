export interface WorkspaceDto {
  id: string;
  name: string;
  /** The built-in `default` workspace cannot be deleted. */
  builtin: boolean;
  /** Username of the creator, or null for the built-in workspace and the static token. */
  createdBy: string | null;
  createdAt: string;
}

export interface CreateWorkspaceRequest {
  name: string;
}
