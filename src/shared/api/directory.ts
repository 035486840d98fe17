import type { BuiltinRole } from '../../core/policy/actions';

/** The server's users, org roles, git emails and signing keys, signed, for `promptops verify` (`.promptops/directory.yaml`). */
export interface UserDirectoryDto {
  version: 2;
  /** Increases with every directory the server issues; verify refuses one older than the base's. */
  serial: number;
  issuedAt: string;
  keyId: string;
  /** `signingKeys`: SSH commit-signing keys as `ssh-ed25519 AAAA…`. */
  users: { username: string; role: BuiltinRole; emails: string[]; signingKeys: string[] }[];
  signature: string;
}

export interface DirectoryResponse {
  directory: UserDirectoryDto;
  /** The same directory as the text of `.promptops/directory.yaml`. */
  file: string;
}
