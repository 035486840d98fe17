import {
  exportPrivateKeyPem,
  generateSigningKey,
  importPrivateKeyPem,
  keyIdOf,
  publicKeyOf,
  type SigningKey,
} from '../../core/release/signingKeys';
import type { Store } from '../store/store';

/** The settings row holding the server's Ed25519 private key (PKCS#8 PEM). */
export const SIGNING_KEY_SETTING = 'signing.ed25519.private_key';

/**
 * The server's signing key: generated on first start and kept in the store. Processes
 * starting together each propose a key; the insert-if-absent on the settings key is
 * atomic, so exactly one is kept and every process reads that one back.
 */
export async function loadSigningKey(store: Store): Promise<SigningKey> {
  let pem = await store.getSetting(SIGNING_KEY_SETTING);
  if (pem === undefined)
    pem = await store.putSettingIfAbsent(SIGNING_KEY_SETTING, exportPrivateKeyPem(generateSigningKey().privateKey));
  const privateKey = importPrivateKeyPem(pem);
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}
