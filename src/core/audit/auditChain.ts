import { createHash, verify, type KeyObject } from 'node:crypto';

/**
 * The audit log's hash chain: each entry carries the sha256 of the entry before it and
 * its own sha256 over a canonical serialisation (JSON, keys sorted, no spaces) of its
 * fields and that previous hash; checkpoints sign an entry's hash with the server's
 * release key. Pure: the server computes, `promptops audit verify` checks offline.
 */

/** The previous hash of the first chained entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** What the hash covers: every field of the entry but its id and its own hash. */
export interface ChainedAuditFields {
  at: number;
  actor: string | null;
  actorRole: string | null;
  action: string;
  /** `done`, or `refused` with `reason`. */
  outcome: 'done' | 'refused';
  reason: string | null;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  address: string | null;
  prevHash: string;
}

/** JSON with object keys sorted at every level; `undefined` members are dropped, as JSON drops them. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function auditEntryHash(fields: ChainedAuditFields): string {
  const { at, actor, actorRole, action, outcome, reason, targetType, targetId, before, after, address, prevHash } =
    fields;
  const covered = {
    at,
    actor,
    actorRole,
    action,
    outcome,
    reason,
    targetType,
    targetId,
    before,
    after,
    address,
    prevHash,
  };
  return createHash('sha256').update(canonicalJson(covered)).digest('hex');
}

/** A signed statement that the chain ended at `entryId` with `hash`. */
export interface AuditCheckpoint {
  entryId: string;
  hash: string;
  at: number;
  keyId: string;
  /** Ed25519 over `checkpointPayload`, base64. */
  signature: string;
}

export function checkpointPayload(c: Pick<AuditCheckpoint, 'entryId' | 'hash' | 'at' | 'keyId'>): Buffer {
  return Buffer.from(
    canonicalJson({ kind: 'promptops.audit.checkpoint', entryId: c.entryId, hash: c.hash, at: c.at, keyId: c.keyId }),
  );
}

/** An exported entry: the fields, its id and hashes (null hashes: written before the chain began). */
export type ExportedAuditEntry = Omit<ChainedAuditFields, 'prevHash' | 'at'> & {
  id: string;
  at: string | number;
  prevHash: string | null;
  hash: string | null;
};

export interface AuditExport {
  entries: ExportedAuditEntry[];
  checkpoints: AuditCheckpoint[];
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  checkpoints: number;
  problems: string[];
}

/**
 * Checks an export: entries in id order, each hash recomputed, each `prevHash` the hash
 * before it (the first chained one may follow an entry outside the export), every
 * checkpoint naming an exported entry's hash, signed by `publicKey` when one is given (or,
 * given the server's keys over time by key id, by the key the checkpoint names).
 */
export function verifyAuditExport(
  exp: AuditExport,
  publicKey?: KeyObject | ReadonlyMap<string, KeyObject>,
): AuditVerification {
  const problems: string[] = [];
  const entries = [...exp.entries].sort((a, b) => Number(a.id) - Number(b.id));
  const byId = new Map<string, ExportedAuditEntry>();
  let previous: string | null = null;
  for (const e of entries) {
    byId.set(e.id, e);
    if (e.hash === null || e.prevHash === null) {
      if (previous !== null) problems.push(`entry ${e.id}: has no hash, after the chain began`);
      continue;
    }
    const at = typeof e.at === 'number' ? e.at : Date.parse(e.at);
    const recomputed = auditEntryHash({ ...e, at, prevHash: e.prevHash });
    if (recomputed !== e.hash) problems.push(`entry ${e.id}: its content does not match its hash (changed?)`);
    if (previous !== null && e.prevHash !== previous)
      problems.push(`entry ${e.id}: does not follow the entry before it (an entry was removed or inserted)`);
    previous = e.hash;
  }
  for (const c of exp.checkpoints) {
    const e = byId.get(c.entryId);
    if (e && e.hash !== c.hash) problems.push(`checkpoint at entry ${c.entryId}: names another hash than the entry's`);
    const key: KeyObject | undefined = isKeyMap(publicKey) ? publicKey.get(c.keyId) : publicKey;
    if (publicKey && (!key || !verify(null, checkpointPayload(c), key, Buffer.from(c.signature, 'base64'))))
      problems.push(
        `checkpoint at entry ${c.entryId}: the signature does not verify with the given key${isKeyMap(publicKey) ? 's' : ''}`,
      );
  }
  return { ok: problems.length === 0, entries: entries.length, checkpoints: exp.checkpoints.length, problems };
}

function isKeyMap(
  keys: KeyObject | ReadonlyMap<string, KeyObject> | undefined,
): keys is ReadonlyMap<string, KeyObject> {
  return keys instanceof Map;
}
