/** An SSH key a user signs git commits with (`gpg.format=ssh`); the user directory carries it for `promptops verify`. */
export interface SigningKeyDto {
  /** `SHA256:…`, as `ssh-keygen -l` shows it. */
  fingerprint: string;
  /** `ssh-ed25519 AAAA…`, without the comment. */
  publicKey: string;
  comment: string;
  createdAt: string;
}

export interface AddSigningKeyRequest {
  /** One line of a `.pub` file: `ssh-ed25519 AAAA… comment`. */
  publicKey: string;
}

export interface SigningKeyListResponse {
  keys: SigningKeyDto[];
}
