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
