import { signKeyLink, type SignedKeyLink } from '../../core/release/keyChain';
import {
  exportPrivateKeyPem,
  generateSigningKey,
  importPrivateKeyPem,
  keyIdOf,
  publicKeyOf,
  type SigningKey,
} from '../../core/release/signingKeys';
import type { Store } from '../store/store';

/** The settings row holding the server's first Ed25519 private key (PKCS#8 PEM). */
export const SIGNING_KEY_SETTING = 'signing.ed25519.private_key';
/** The private key rotation `n` introduced (never published). */
const rotatedKeySetting = (serial: number) => `${SIGNING_KEY_SETTING}.${serial}`;
/** Rotation `n`'s link (JSON of a SignedKeyLink): public, what `.promptops/keys.yaml` lists. */
const linkSetting = (serial: number) => `signing.key_chain.${serial}`;

/** The key the server signs with now, and the chain of rotations that leads to it from the first key. */
export interface ServerSigningKeys {
  current: SigningKey;
  chain: SignedKeyLink[];
}

/**
 * The server's signing key: generated on first start and kept in the store. Processes
 * starting together each propose a key; the insert-if-absent on the settings key is
 * atomic, so exactly one is kept and every process reads that one back. After rotations,
 * the key of the last link.
 */
export async function loadSigningKeys(store: Store): Promise<ServerSigningKeys> {
  let pem = await store.getSetting(SIGNING_KEY_SETTING);
  if (pem === undefined)
    pem = await store.putSettingIfAbsent(SIGNING_KEY_SETTING, exportPrivateKeyPem(generateSigningKey().privateKey));
  const chain: SignedKeyLink[] = [];
  for (let serial = 1; ; serial++) {
    const link = await store.getSetting(linkSetting(serial));
    if (link === undefined) break;
    chain.push(JSON.parse(link) as SignedKeyLink);
    pem = await store.getSetting(rotatedKeySetting(serial));
    if (pem === undefined) throw new Error(`the store holds key rotation ${serial} but not its private key`);
  }
  return { current: signingKeyOf(pem), chain };
}

/** Whether the store holds a rotation past `keys` (made by this or another server process). */
export async function rotatedSince(store: Store, keys: ServerSigningKeys): Promise<boolean> {
  return (await store.getSetting(linkSetting(keys.chain.length + 1))) !== undefined;
}

/**
 * Replaces the current key with a new one, which the current key introduces in a signed
 * link. Both slots are insert-if-absent: two rotations racing from the same key agree on
 * one new key and one link (the chain never forks); the loser's link is dropped for the
 * winner's, which names the same key.
 */
export async function rotateSigningKey(
  store: Store,
  from: ServerSigningKeys,
  rotatedBy: string,
  now: number,
): Promise<ServerSigningKeys> {
  const serial = from.chain.length + 1;
  if ((await store.getSetting(linkSetting(serial))) !== undefined)
    throw new KeyRotationConflict(`the key was already rotated to serial ${serial} (by another server process)`);
  const next = signingKeyOf(
    await store.putSettingIfAbsent(rotatedKeySetting(serial), exportPrivateKeyPem(generateSigningKey().privateKey)),
  );
  const link = signKeyLink({ serial, rotatedAt: new Date(now).toISOString(), rotatedBy }, from.current, next);
  const kept = JSON.parse(await store.putSettingIfAbsent(linkSetting(serial), JSON.stringify(link))) as SignedKeyLink;
  return { current: next, chain: [...from.chain, kept] };
}

export class KeyRotationConflict extends Error {
  override name = 'KeyRotationConflict';
}

function signingKeyOf(pem: string): SigningKey {
  const privateKey = importPrivateKeyPem(pem);
  const publicKey = publicKeyOf(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}
