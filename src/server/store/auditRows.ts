import type { AuditAction, AuditCheckpointRecord, AuditRecord, AuditTargetType } from './auditRecords';

/** Rows of the audit log and its checkpoints (the same in both dialects). */
export interface AuditRow {
  id: number;
  at: number;
  actor: string | null;
  actor_role: string | null;
  action: AuditAction;
  target_type: AuditTargetType;
  target_id: string | null;
  before_json: string | null;
  after_json: string | null;
  address: string | null;
  outcome: 'done' | 'refused';
  reason: string | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface CheckpointRow {
  entry_id: number | string;
  hash: string;
  at: number | string;
  key_id: string;
  signature: string;
}

export function toCheckpoint(row: CheckpointRow): AuditCheckpointRecord {
  return {
    entryId: String(row.entry_id),
    hash: row.hash,
    at: Number(row.at),
    keyId: row.key_id,
    signature: row.signature,
  };
}

export function toAudit(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    actorRole: row.actor_role,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    before: row.before_json === null ? null : (JSON.parse(row.before_json) as unknown),
    after: row.after_json === null ? null : (JSON.parse(row.after_json) as unknown),
    address: row.address,
    outcome: row.outcome,
    reason: row.reason,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export const jsonOrNull = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);
