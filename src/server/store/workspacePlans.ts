import { toWorkspace, type WorkspaceRow } from './accountRows';
import type { DeletedWorkspaceRecord, NewWorkspace, WorkspaceRecord } from './records';
import { execute, selectRow, selectRows, type Plan } from './sqlPlan';

export function* listWorkspaces(): Plan<WorkspaceRecord[]> {
  const rows = yield* selectRows<WorkspaceRow>('SELECT * FROM workspaces ORDER BY builtin DESC, lower(name)');
  return rows.map(toWorkspace);
}

/** Run in one transaction: creating a workspace lifts its tombstone. */
export function* createWorkspace(workspace: NewWorkspace): Plan<WorkspaceRecord> {
  yield* execute(
    'INSERT INTO workspaces (id, name, builtin, created_by, created_at) VALUES (?, ?, FALSE, ?, ?)',
    workspace.id,
    workspace.name,
    workspace.createdBy,
    workspace.now,
  );
  yield* execute('DELETE FROM deleted_workspaces WHERE name_key = lower(?)', workspace.name);
  return {
    id: workspace.id,
    name: workspace.name,
    builtin: false,
    createdBy: workspace.createdBy,
    createdAt: workspace.now,
  };
}

export function* getWorkspace(id: string): Plan<WorkspaceRecord | undefined> {
  const row = yield* selectRow<WorkspaceRow>('SELECT * FROM workspaces WHERE id = ?', id);
  return row && toWorkspace(row);
}

/** Run in one transaction: the workspace goes and its tombstone comes. */
export function* deleteWorkspace(id: string, deletedBy: string | null, now: number): Plan<boolean> {
  const row = yield* selectRow<{ name: string }>(
    'DELETE FROM workspaces WHERE id = ? AND NOT builtin RETURNING name',
    id,
  );
  if (!row) return false;
  yield* execute(
    `INSERT INTO deleted_workspaces (name_key, name, deleted_by, deleted_at) VALUES (lower(?), ?, ?, ?)
     ON CONFLICT (name_key) DO UPDATE SET name = excluded.name, deleted_by = excluded.deleted_by, deleted_at = excluded.deleted_at`,
    row.name,
    row.name,
    deletedBy,
    now,
  );
  return true;
}

export function* listDeletedWorkspaces(): Plan<DeletedWorkspaceRecord[]> {
  const rows = yield* selectRows<{ name: string; deleted_by: string | null; deleted_at: number }>(
    'SELECT name, deleted_by, deleted_at FROM deleted_workspaces ORDER BY name_key',
  );
  return rows.map((r) => ({ name: r.name, deletedBy: r.deleted_by, deletedAt: r.deleted_at }));
}
