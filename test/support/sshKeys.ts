import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fresh `ssh-ed25519 AAAA… comment` line made in memory (for server tests, where nothing signs). */
export function sshPublicKeyLine(comment = 'test@example.com'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.alloc(4 + type.length + 4 + raw.length);
  blob.writeUInt32BE(type.length, 0);
  type.copy(blob, 4);
  blob.writeUInt32BE(raw.length, 4 + type.length);
  raw.copy(blob, 8 + type.length);
  return `ssh-ed25519 ${blob.toString('base64')} ${comment}`;
}

/** A real key pair made by `ssh-keygen` in `dir`, as a user signing commits has one. */
export interface SshKeyFiles {
  /** The private key file: what `user.signingkey` names. */
  privatePath: string;
  publicPath: string;
  /** `ssh-ed25519 AAAA…` without the comment, as the user directory carries it. */
  publicKey: string;
}

export function sshKeygen(dir: string, name: string): SshKeyFiles {
  const privatePath = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@example.com`, '-f', privatePath]);
  const publicPath = `${privatePath}.pub`;
  const publicKey = readFileSync(publicPath, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  return { privatePath, publicPath, publicKey };
}
