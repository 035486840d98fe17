import { sign } from 'node:crypto';
import { checkpointPayload } from '../../core/audit/auditChain';
import type { SigningKey } from '../../core/release/signingKeys';
import type { AuditCheckpointRecord } from '../store/auditRecords';
import type { Store } from '../store/store';

/** How often a running server signs the audit chain's tail (when it moved). */
export const AUDIT_CHECKPOINT_EVERY_MS = 15 * 60 * 1000;

/** Signs the chain's tail with the server's release key, when it moved since the last checkpoint. */
export function checkpointAudit(
  store: Store,
  key: SigningKey,
  now: number,
): Promise<AuditCheckpointRecord | undefined> {
  return store.checkpointAudit(({ entryId, hash }) => {
    const unsigned = { entryId, hash, at: now, keyId: key.keyId };
    return { ...unsigned, signature: sign(null, checkpointPayload(unsigned), key.privateKey).toString('base64') };
  });
}
