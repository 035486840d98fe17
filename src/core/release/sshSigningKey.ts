import { createHash } from 'node:crypto';

/**
 * An SSH public key that signs git commits (`gpg.format=ssh`). Only `ssh-ed25519`: it is
 * what `ssh-keygen -t ed25519` makes, what GitHub and GitLab recommend, and one type keeps
 * the allowed-signers file and its tests small.
 */
export interface SshSigningKey {
  /** `ssh-ed25519 AAAA…`: type and key, without the comment; what the user directory carries. */
  publicKey: string;
  /** As `ssh-keygen -l` shows it: `SHA256:` and the unpadded base64 of the key blob's sha256. */
  fingerprint: string;
  /** The free text after the key (often `user@host`); empty when none. */
  comment: string;
}

const KEY_TYPE = 'ssh-ed25519';

/** Reads one `ssh-ed25519 AAAA… comment` line (a `.pub` file); a sentence saying what is wrong otherwise. */
export function parseSshSigningKey(text: string): { key: SshSigningKey } | { problem: string } {
  const line = text.trim();
  if (line === '') return { problem: 'the key is empty: give the contents of a .pub file (ssh-ed25519 AAAA… comment)' };
  if (/^-----BEGIN .*PRIVATE KEY-----/.test(line))
    return {
      problem: 'this is a PRIVATE key: give the public half, the .pub file next to it, and keep this one secret',
    };
  if (line.includes('\n')) return { problem: 'expected one line (one key), found several' };
  const [type, data, ...rest] = line.split(/[ \t]+/);
  if (type !== KEY_TYPE)
    return {
      problem: `unsupported key type "${type.slice(0, 40)}": only ${KEY_TYPE} keys are accepted (make one with: ssh-keygen -t ed25519)`,
    };
  if (data === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(data))
    return { problem: `after "${KEY_TYPE}" expected the key in base64 (AAAA…)` };
  const blob = Buffer.from(data, 'base64');
  // The blob repeats the type, then the 32-byte key, each prefixed by its length.
  const expectedType = Buffer.from(KEY_TYPE);
  const ok =
    blob.toString('base64') === data &&
    blob.length === 4 + expectedType.length + 4 + 32 &&
    blob.readUInt32BE(0) === expectedType.length &&
    blob.subarray(4, 4 + expectedType.length).equals(expectedType) &&
    blob.readUInt32BE(4 + expectedType.length) === 32;
  if (!ok) return { problem: `the base64 after "${KEY_TYPE}" is not an ed25519 public key (damaged or truncated?)` };
  return { key: { publicKey: `${KEY_TYPE} ${data}`, fingerprint: sshFingerprint(blob), comment: rest.join(' ') } };
}

export function sshFingerprint(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The fingerprint of a `type base64` key line, or undefined when it is not one. */
export function fingerprintOfKeyLine(keyLine: string): string | undefined {
  const parsed = parseSshSigningKey(keyLine);
  return 'key' in parsed ? parsed.key.fingerprint : undefined;
}
