import type { PromptOpsClient } from '../client/promptOpsClient';
import { parseSshSigningKey } from '../core/release/sshSigningKey';
import type { SigningKeyDto } from '../shared/api/signingKeys';

/**
 * Registers a public key (the text of a `.pub` file) to the signed-in user, or to `userId`
 * (admin). A key that is theirs already is found, not added again: setting up a second
 * clone with the same key only needs git configured.
 */
export async function registerSigningKey(
  client: Pick<PromptOpsClient, 'listSigningKeys' | 'addSigningKey'>,
  publicKey: string,
  userId?: string,
): Promise<{ key: SigningKeyDto; already: boolean }> {
  const local = parseSshSigningKey(publicKey);
  const already =
    'key' in local
      ? (await client.listSigningKeys(userId)).find((k) => k.fingerprint === local.key.fingerprint)
      : undefined;
  if (already) return { key: already, already: true };
  return { key: await client.addSigningKey(publicKey, userId), already: false };
}
