import type { WorkspaceBinding } from '../../core/access/workspaceBinding';

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

/** The workspace, and how its creator binds people to it (the access file declares members). */
export interface CreateWorkspaceResponse extends WorkspaceDto {
  binding: WorkspaceBinding;
}

/** A workspace deleted through the API: it grants nothing even while the access file declares it. */
export interface DeletedWorkspaceDto {
  name: string;
  /** Username, or null for the static token. */
  deletedBy: string | null;
  deletedAt: string;
}

export interface WorkspaceListResponse {
  workspaces: WorkspaceDto[];
  /** Deleted through the API and not re-created; only an admin's `POST /api/workspaces` brings one back. */
  deleted: DeletedWorkspaceDto[];
}
