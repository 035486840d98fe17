import { checkSshSignature, type CommitSignature } from './sshSignature';
import { splitSignedCommit } from './signedCommit';

/**
 * The verdict on one commit's signature from its raw object (`git cat-file commit`), as
 * `git log %G?` with an allowed-signers file of `registered` keys would give it: `registered`
 * holds the `SHA256:` fingerprints of the keys that name users.
 */
export function commitSignature(
  rawCommit: Uint8Array,
  registered: ReadonlySet<string>,
  objectIdLength = 40,
): CommitSignature {
  const { payload, signature } = splitSignedCommit(rawCommit, objectIdLength);
  if (signature === undefined) return { status: 'unsigned', fingerprint: '' };
  return checkSshSignature(payload, signature, registered);
}
