import type { KeyObject } from 'node:crypto';
import { hasErrors, type Diagnostic } from '../diagnostics';
import type { CanonicalValue } from './canonicalJson';
import { isSha256Hex } from './contentHash';
import { signValue, verifyValue } from './domainSignature';
import { describe, readYamlMap, isoTimeProblem, keyIdProblem, signatureProblem } from './yamlFields';
import { yamlFlowList, yamlScalar } from './yamlScalar';

/**
 * `.promptops/policy.lock`: the access file version the server applied last, signed by the
 * server, so `promptops verify --base` can tell an applied (and, when the access file asks
 * for it, reviewed) policy from a direct commit. `serial` is the server's policy version: it
 * only grows, so an older record cannot be committed again.
 */
export const POLICY_LOCK_PATH = '.promptops/policy.lock';
export const POLICY_RECORD_SIGNATURE_DOMAIN = 'promptops-policy-v1\n';

export interface PolicyRecord {
  /** The server's policy version. */
  serial: number;
  /** The commit `apply` read the access file from (full sha). */
  commit: string;
  /** sha256 of the access file's bytes, lowercase hex. */
  contentHash: string;
  appliedBy: string;
  /** Users whose approvals of the change counted, sorted; empty when no review was required. */
  approvals: string[];
  appliedAt: string;
  keyId: string;
}

export interface SignedPolicyRecord extends PolicyRecord {
  signature: string;
}

export function policyRecordValue(record: PolicyRecord): CanonicalValue {
  return {
    serial: record.serial,
    commit: record.commit,
    contentHash: record.contentHash,
    appliedBy: record.appliedBy,
    approvals: [...record.approvals].sort(),
    appliedAt: record.appliedAt,
    keyId: record.keyId,
  };
}

export function signPolicyRecord(record: PolicyRecord, privateKey: KeyObject): SignedPolicyRecord {
  const normalized = { ...record, approvals: [...record.approvals].sort() };
  return {
    ...normalized,
    signature: signValue(POLICY_RECORD_SIGNATURE_DOMAIN, policyRecordValue(normalized), privateKey),
  };
}

export function verifyPolicyRecordSignature(record: SignedPolicyRecord, publicKey: KeyObject): boolean {
  return verifyValue(POLICY_RECORD_SIGNATURE_DOMAIN, policyRecordValue(record), record.signature, publicKey);
}

export function serializePolicyRecord(record: SignedPolicyRecord): string {
  return [
    '# PromptOps policy lock: the access file version the server applied, signed by the server.',
    '# Written by `promptops apply`; `promptops verify --base` accepts a change to .promptops/access.yaml',
    '# only when its sha256 is the contentHash below and the signature verifies.',
    'version: 1',
    `serial: ${record.serial}`,
    `commit: ${yamlScalar(record.commit)}`,
    `contentHash: ${yamlScalar(record.contentHash)}`,
    `appliedBy: ${yamlScalar(record.appliedBy)}`,
    `approvals: ${yamlFlowList([...record.approvals].sort())}`,
    `appliedAt: ${yamlScalar(record.appliedAt)}`,
    `keyId: ${yamlScalar(record.keyId)}`,
    `signature: ${yamlScalar(record.signature)}`,
    '',
  ].join('\n');
}

export interface ParsedPolicyRecord {
  record?: SignedPolicyRecord;
  diagnostics: Diagnostic[];
}

const COMMIT = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** Reads the policy lock; never throws. Every problem is located (file, line, field). */
export function parsePolicyRecord(text: string, file: string = POLICY_LOCK_PATH): ParsedPolicyRecord {
  const read = readYamlMap(
    text,
    file,
    (found) => `the policy lock must be a map (as \`promptops apply\` writes it), not ${found}`,
  );
  if (!read.ok) return { diagnostics: read.diagnostics };
  const { data, reader } = read;
  if (data.version !== 1)
    reader.error(
      data.version === undefined ? [] : ['version'],
      data.version === undefined
        ? 'missing field "version" (expected 1)'
        : `unsupported version ${JSON.stringify(data.version)}; expected 1`,
    );
  reader.unknownKeys(
    data,
    [],
    ['version', 'serial', 'commit', 'contentHash', 'appliedBy', 'approvals', 'appliedAt', 'keyId', 'signature'],
  );
  const serial = data.serial;
  if (typeof serial !== 'number' || !Number.isSafeInteger(serial) || serial < 1)
    reader.error(
      serial === undefined ? [] : ['serial'],
      serial === undefined ? 'missing field "serial"' : `"serial" must be a whole number ≥ 1, not ${describe(serial)}`,
    );
  const commit = reader.string(data, [], 'commit', (v) =>
    COMMIT.test(v) ? undefined : 'expected a full commit sha (40 lowercase hex digits)',
  );
  const contentHash = reader.string(data, [], 'contentHash', (v) =>
    isSha256Hex(v) ? undefined : 'expected a sha256 (64 lowercase hex digits)',
  );
  const appliedBy = reader.string(data, [], 'appliedBy');
  const approvals = data.approvals === undefined ? [] : reader.stringList(data, [], 'approvals');
  const appliedAt = reader.string(data, [], 'appliedAt', isoTimeProblem);
  const keyId = reader.string(data, [], 'keyId', keyIdProblem);
  const signature = reader.string(data, [], 'signature', signatureProblem);
  if (
    hasErrors(reader.diagnostics) ||
    typeof serial !== 'number' ||
    [commit, contentHash, appliedBy, approvals, appliedAt, keyId, signature].includes(undefined)
  )
    return { diagnostics: reader.diagnostics };
  return {
    record: {
      serial,
      commit: commit!,
      contentHash: contentHash!,
      appliedBy: appliedBy!,
      approvals: [...approvals!].sort(),
      appliedAt: appliedAt!,
      keyId: keyId!,
      signature: signature!,
    },
    diagnostics: reader.diagnostics,
  };
}
