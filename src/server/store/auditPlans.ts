import { AUDIT_GENESIS, auditEntryHash } from '../../core/audit/auditChain';
import type { AuditCheckpointRecord, AuditFilter, AuditRecord, NewAuditEntry } from './auditRecords';
import { jsonOrNull, toAudit, toCheckpoint, type AuditRow, type CheckpointRow } from './auditRows';
import { pagedSelect } from './pagedSelect';
import { execute, lock, selectRow, selectRows, type Plan } from './sqlPlan';
import { Where } from './whereClause';

/** Run in one transaction (`chainAudit` needs one). */
export function* appendAudit(entry: NewAuditEntry): Plan<void> {
  yield* chainAudit(entry);
}

/**
 * Appends `entry` to the chain (src/core/audit/auditChain.ts), inside the caller's
 * transaction: the audit lock (held to commit; SQLite's write transaction) makes appends
 * from every process run one after another, so two entries never chain to one tail.
 */
export function* chainAudit(entry: NewAuditEntry): Plan<void> {
  yield* lock('audit');
  const tail = yield* selectRow<{ hash: string }>(
    'SELECT hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1',
  );
  const prevHash = tail?.hash ?? null;
  const before = jsonOrNull(entry.before);
  const after = jsonOrNull(entry.after);
  const fields = {
    at: entry.at,
    actor: entry.actor,
    actorRole: entry.actorRole,
    action: entry.action,
    outcome: entry.outcome ?? 'done',
    reason: entry.reason ?? null,
    targetType: entry.targetType,
    targetId: entry.targetId,
    // Hashed as read back, so what is stored and what is hashed are the same JSON.
    before: before === null ? null : (JSON.parse(before) as unknown),
    after: after === null ? null : (JSON.parse(after) as unknown),
    address: entry.address,
    prevHash: prevHash ?? AUDIT_GENESIS,
  };
  yield* execute(
    `INSERT INTO audit_log (at, actor, actor_role, action, target_type, target_id, before_json, after_json, address,
       outcome, reason, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    entry.at,
    entry.actor,
    entry.actorRole,
    entry.action,
    entry.targetType,
    entry.targetId,
    before,
    after,
    entry.address,
    fields.outcome,
    fields.reason,
    fields.prevHash,
    auditEntryHash(fields),
  );
}

/** Run in one transaction: under the audit lock, so serialised with appends. */
export function* checkpointAudit(
  sign: (tail: { entryId: string; hash: string }) => AuditCheckpointRecord,
): Plan<AuditCheckpointRecord | undefined> {
  yield* lock('audit');
  const tail = yield* selectRow<{ id: number | string; hash: string }>(
    'SELECT id, hash FROM audit_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1',
  );
  if (!tail) return undefined;
  const last = yield* selectRow<CheckpointRow>('SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1');
  if (last && String(last.entry_id) === String(tail.id)) return undefined;
  const c = sign({ entryId: String(tail.id), hash: tail.hash });
  yield* execute(
    'INSERT INTO audit_checkpoints (entry_id, hash, at, key_id, signature) VALUES (?, ?, ?, ?, ?)',
    Number(c.entryId),
    c.hash,
    c.at,
    c.keyId,
    c.signature,
  );
  return c;
}

export function* listAuditCheckpoints(): Plan<AuditCheckpointRecord[]> {
  return (yield* selectRows<CheckpointRow>('SELECT * FROM audit_checkpoints ORDER BY id')).map(toCheckpoint);
}

/** Newest first; `action` may end in `.*` to match a family (`review.*`). */
export function* listAudit(filter: AuditFilter): Plan<AuditRecord[]> {
  const where = new Where();
  where.add('lower(actor) = lower(?)', filter.actor);
  where.add('outcome = ?', filter.outcome);
  if (filter.action?.endsWith('.*')) where.add('action LIKE ?', `${filter.action.slice(0, -1)}%`);
  else where.add('action = ?', filter.action);
  where.add('at >= ?', filter.since);
  where.add('at < ?', filter.until);
  return (yield* pagedSelect<AuditRow>('SELECT * FROM audit_log', where, filter)).map(toAudit);
}
