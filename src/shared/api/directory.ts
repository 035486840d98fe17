import type { BuiltinRole } from '../../core/policy/actions';

/** The server's users, org roles and git emails, signed, for `promptops verify` (`.promptops/directory.yaml`). */
export interface UserDirectoryDto {
  issuedAt: string;
  keyId: string;
  users: { username: string; role: BuiltinRole; emails: string[] }[];
  signature: string;
}

export interface DirectoryResponse {
  directory: UserDirectoryDto;
  /** The same directory as the text of `.promptops/directory.yaml`. */
  file: string;
}
