import { ACCESS_FILE_PATH } from '../core/access/accessPolicy';
import type { Actor } from '../core/policy/decision';
import { KEY_CHAIN_PATH } from '../core/release/keyChain';
import { trustedKeys } from '../core/release/lockEntryVerdict';
import { importPublicKey } from '../core/release/signingKeys';
import { USER_DIRECTORY_PATH, userBySigningKey } from '../core/release/userDirectory';
import type { GitRepository } from '../git/gitRepository';
import { configuredSigningKey } from '../git/configuredSigningKey';
import { decodeUtf8 } from './gate/changeCheck';
import { gatePolicyFrom } from './gate/gatePolicy';
import { trustedDirectory } from './gate/trustedDirectory';
import { trustedChainKeys } from './gate/trustedKeyChain';

/** Who the committer's signing key says they are: a user, no key configured, or why the key names nobody. */
export type SigningKeyIdentity =
  { kind: 'user'; actor: Actor; fingerprint: string } | { kind: 'no-key' } | { kind: 'unknown'; reason: string };

export const REGISTER_KEY_HOW_TO =
  'register it: promptops signing-key add ~/.ssh/id_ed25519.pub (or PromptOps: Register Signing Key in VS Code), ' +
  'then an admin commits a fresh user directory (promptops directory pull)';

/**
 * Offline, as verify trusts it: the key `user.signingkey` names is looked up in the user
 * directory committed at HEAD, which counts only when the server key pinned in HEAD's
 * access file signed it. No token, no server.
 */
export async function identityFromSigningKey(repo: GitRepository): Promise<SigningKeyIdentity> {
  const configured = await configuredSigningKey(repo);
  if (configured.kind === 'none') return { kind: 'no-key' };
  if (configured.kind === 'unreadable')
    return { kind: 'unknown', reason: `git's user.signingkey (${configured.setting}): ${configured.problem}` };
  const { fingerprint } = configured.key;
  const yours = `your signing key ${fingerprint} (git config user.signingkey)`;
  const head = await repo.head();
  if (!head) return { kind: 'unknown', reason: `${yours} cannot be looked up: the repository has no commits yet` };
  const files = await repo.filesAt(head, [ACCESS_FILE_PATH, USER_DIRECTORY_PATH, KEY_CHAIN_PATH]);
  const text = (path: string) => {
    const bytes = files.get(path);
    return bytes && decodeUtf8(bytes);
  };
  const pinned = gatePolicyFrom(text(ACCESS_FILE_PATH)).compiled?.policy.publicKey;
  if (pinned === undefined)
    return {
      kind: 'unknown',
      reason: `${yours} cannot be looked up: ${ACCESS_FILE_PATH} at HEAD pins no valid server publicKey, so no user directory can be trusted`,
    };
  let publicKey;
  try {
    publicKey = importPublicKey(pinned);
  } catch (e) {
    return { kind: 'unknown', reason: `${ACCESS_FILE_PATH} at HEAD: publicKey: ${(e as Error).message}` };
  }
  const directoryText = text(USER_DIRECTORY_PATH);
  if (directoryText === undefined)
    return {
      kind: 'unknown',
      reason: `${yours} cannot be looked up: no signed user directory is committed (an admin runs promptops directory pull and commits ${USER_DIRECTORY_PATH})`,
    };
  const chain = trustedChainKeys(publicKey, undefined, text(KEY_CHAIN_PATH), false);
  const trusted = trustedDirectory(directoryText, trustedKeys(...chain.keys));
  if (!trusted.directory)
    return {
      kind: 'unknown',
      reason: `${yours} cannot be looked up: ${trusted.problems.map((p) => `${p.file}: ${p.reason}`).join('; ')}`,
    };
  const user = userBySigningKey(trusted.directory, fingerprint);
  if (!user)
    return {
      kind: 'unknown',
      reason: `${yours} is registered to nobody in the signed user directory at HEAD: ${REGISTER_KEY_HOW_TO}`,
    };
  return { kind: 'user', actor: { username: user.username, role: user.role }, fingerprint };
}
