/**
 * What git says about each commit's signature, from `git log --format=SIGNATURE_LOG_FORMAT`
 * with `gpg.ssh.allowedSignersFile` set: `%G?` (a documented one-letter status) and `%GF`
 * (the key's fingerprint, `SHA256:…` for SSH keys). Never git's or ssh-keygen's sentences.
 */
export const SIGNATURE_LOG_FORMAT = '%H%x1f%G?%x1f%GF%x1e';

export type SignatureStatus =
  /** G: a good signature by a key in the allowed-signers file. */
  | 'good'
  /** U: a good signature by a key that is not in the allowed-signers file. */
  | 'unknown-key'
  /** B: the signature does not match the commit (changed after signing, or forged). */
  | 'bad'
  /** N: no signature. */
  | 'unsigned'
  /** X, Y, R, E: expired, revoked, or git could not check it (e.g. a GPG key it lacks, no ssh-keygen). */
  | 'unverifiable';

export interface CommitSignature {
  status: SignatureStatus;
  /** The letter git printed, for messages. */
  code: string;
  /** The signing key's fingerprint when git could read one; empty otherwise. */
  fingerprint: string;
}

const STATUS: Record<string, SignatureStatus> = { G: 'good', U: 'unknown-key', B: 'bad', N: 'unsigned' };

export function parseSignatureLog(output: string): Map<string, CommitSignature> {
  const out = new Map<string, CommitSignature>();
  for (const raw of output.split('\x1e')) {
    const record = raw.replace(/^\n/, '');
    if (record.trim() === '') continue;
    const [sha, code, fingerprint] = record.split('\x1f');
    if (!/^[0-9a-f]{40,64}$/.test(sha ?? '') || code === undefined || fingerprint === undefined)
      throw new Error(`unexpected git log signature record ${JSON.stringify(record.slice(0, 80))}`);
    out.set(sha, { status: STATUS[code] ?? 'unverifiable', code, fingerprint: fingerprint.trim() });
  }
  return out;
}
