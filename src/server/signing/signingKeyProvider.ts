import type { SigningKey } from '../../core/release/signingKeys';
import type { Store } from '../store/store';
import { loadSigningKeys, rotatedSince, rotateSigningKey, type ServerSigningKeys } from './serverSigningKey';

/**
 * The server's signing key as the store holds it now. Another server process sharing the
 * database may have rotated it: each use asks the store whether a rotation past the key in
 * hand exists (one settings row, by its key) and reloads the chain only then, so every
 * process signs with the newest key from the next request on, without a restart.
 */
export class SigningKeyProvider {
  constructor(
    private readonly store: Store,
    private keys: ServerSigningKeys,
  ) {}

  static async load(store: Store): Promise<SigningKeyProvider> {
    return new SigningKeyProvider(store, await loadSigningKeys(store));
  }

  /** The key to sign with now, and the chain of rotations that leads to it. */
  async current(): Promise<ServerSigningKeys> {
    if (await rotatedSince(this.store, this.keys)) this.keys = await loadSigningKeys(this.store);
    return this.keys;
  }

  /** Just the key to sign with now. */
  async signingKey(): Promise<SigningKey> {
    return (await this.current()).current;
  }

  /** Rotates from the newest key (KeyRotationConflict when another process rotated from it at the same moment). */
  async rotate(rotatedBy: string, now: number): Promise<ServerSigningKeys> {
    this.keys = await rotateSigningKey(this.store, await this.current(), rotatedBy, now);
    return this.keys;
  }
}
