/** The server's Ed25519 public key, to verify release and directory signatures offline. */
export interface PublicKeyResponse {
  algorithm: 'Ed25519';
  /** First 16 hex digits of sha256(SPKI DER); release records name the key by it. */
  keyId: string;
  /** `-----BEGIN PUBLIC KEY-----` … */
  pem: string;
  /** Base64 SPKI DER on one line: what the access file's `publicKey` field holds. */
  spkiBase64: string;
}

/** One rotation of the server's key: the old key names the new one; both sign. */
export interface KeyLinkDto {
  serial: number;
  previousKeyId: string;
  previousPublicKey: string;
  keyId: string;
  publicKey: string;
  rotatedAt: string;
  rotatedBy: string;
  signature: string;
  successorSignature: string;
}

/** `GET /api/keys/chain`: every rotation, oldest first, and `.promptops/keys.yaml`'s text. */
export interface KeyChainResponse {
  /** The key the server signs with now. */
  keyId: string;
  links: KeyLinkDto[];
  file: string;
}

/** `POST /api/keys/rotate`: the chain after the rotation (its last link names the new key). */
export type RotateKeyResponse = KeyChainResponse;
