import { ACCESS_FILE_PATH } from '../access/accessPolicy';
import { formatDiagnostic } from '../diagnostics';
import { contentSha256 } from './contentHash';
import type { TrustedKeys } from './lockEntryVerdict';
import {
  parsePolicyRecord,
  POLICY_LOCK_PATH,
  verifyPolicyRecordSignature,
  type SignedPolicyRecord,
} from './policyLock';

/** The access file and the policy lock at the base (trusted) and at the head (being judged). */
export interface PolicyChangeInput {
  baseAccess: string | undefined;
  headAccess: string | undefined;
  baseLock: string | undefined;
  headLock: string | undefined;
  /** `policyApprovals` of the base's access file (undefined: not declared, or the file has errors). */
  basePolicyApprovals: number | undefined;
  /** The server keys trusted (the anchor and the keys its chain joins to it), by key id. */
  trusted: TrustedKeys;
}

export interface PolicyChangeProblem {
  file: string;
  reason: string;
}

const HOW_TO =
  'have it reviewed and applied (`promptops review request .promptops/access.yaml`, then `promptops apply`) and commit the .promptops/policy.lock that apply writes';

/**
 * Whether the range's change to the access file is a version the server applied. Once the
 * base holds a signed policy lock, or its access file asks for policy review, a changed
 * access file must match a lock signed by the trusted key, newer than the base's (a record
 * from an earlier apply cannot come back). Without either, nothing is required here: the
 * commit checks judge the change by who may edit protected paths, as before.
 */
export function policyChangeProblems(input: PolicyChangeInput): PolicyChangeProblem[] {
  const { baseAccess, headAccess, baseLock, headLock } = input;
  const accessChanged = baseAccess !== headAccess;
  const lockChanged = baseLock !== headLock;
  if (!accessChanged && !lockChanged) return [];
  const problems: PolicyChangeProblem[] = [];

  const base = baseLock === undefined ? undefined : trustedRecord(baseLock, input);
  let head: SignedPolicyRecord | undefined = base;
  if (lockChanged) {
    head = undefined;
    if (headLock === undefined) {
      problems.push({
        file: POLICY_LOCK_PATH,
        reason:
          'was removed in this range: it records the access file the server applied, and only a newer one may replace it',
      });
    } else {
      const parsed = parsePolicyRecord(headLock);
      for (const d of parsed.diagnostics.filter((x) => x.severity === 'error'))
        problems.push({ file: `${d.file}:${d.line}:${d.column}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') });
      const record = parsed.record;
      if (record && !signedBy(record, input)) {
        problems.push({
          file: POLICY_LOCK_PATH,
          reason: `its signature does not verify against the trusted key${input.trusted.size === 1 ? '' : 's'} ${[...input.trusted.keys()].join(', ')}: the record was edited or forged, so it vouches for no access file`,
        });
      } else if (record && base && record.serial <= base.serial) {
        problems.push({
          file: POLICY_LOCK_PATH,
          reason: `serial ${record.serial} is not newer than the base's ${base.serial}: an earlier applied policy was committed again; a policy change needs a new apply`,
        });
      } else if (record) {
        head = record;
      }
    }
  }

  const required = baseLock !== undefined || (input.basePolicyApprovals ?? 0) > 0 || lockChanged;
  if (!required) return problems;
  const headHash = headAccess === undefined ? undefined : contentSha256(headAccess);
  if (head && headHash === head.contentHash) return problems;
  if (!accessChanged && !head) return problems; // the lock's own problem is reported above
  problems.push({
    file: ACCESS_FILE_PATH,
    reason: !accessChanged
      ? `${POLICY_LOCK_PATH} (serial ${head!.serial}) records sha256 ${head!.contentHash.slice(0, 12)}…, but the access file here has ${headHash?.slice(0, 12) ?? 'no content'}…: commit the access file that was applied`
      : head
        ? `changed in this range to content (sha256 ${headHash?.slice(0, 12) ?? 'none'}…) that the server did not apply: ${POLICY_LOCK_PATH} (serial ${head.serial}) records ${head.contentHash.slice(0, 12)}…; ${HOW_TO}`
        : `changed in this range without a server-signed policy record${(input.basePolicyApprovals ?? 0) > 0 ? ` (the base's access file asks for ${input.basePolicyApprovals} approval${input.basePolicyApprovals === 1 ? '' : 's'} of policy changes)` : ''}: ${HOW_TO}`,
  });
  return problems;
}

function signedBy(record: SignedPolicyRecord, input: PolicyChangeInput): boolean {
  const key = input.trusted.get(record.keyId);
  return key !== undefined && verifyPolicyRecordSignature(record, key);
}

/** The base's lock is trusted only when the key signed it (an unsigned base lock vouches for nothing). */
function trustedRecord(text: string, input: PolicyChangeInput): SignedPolicyRecord | undefined {
  const record = parsePolicyRecord(text).record;
  return record && signedBy(record, input) ? record : undefined;
}
