/** Why a published prompt could not be loaded; stable codes an application can switch on. */
export type PublishedPromptErrorCode =
  | 'NO_LOCK' // no .promptops/published.yaml
  | 'INVALID_LOCK' // the lock file is malformed
  | 'NOT_PUBLISHED' // no entry for that name and env
  | 'UNPUBLISHED' // a server-signed record took it out of that env (or retired the entry found)
  | 'AMBIGUOUS' // more than one file publishes that name in that env
  | 'FILE_MISSING' // the published file is not in the folder
  | 'HASH_MISMATCH' // the file changed after publishing
  | 'NO_PUBLIC_KEY' // no trust anchor configured, or it cannot be read
  | 'BAD_SIGNATURE' // the entry's signature does not verify against the key
  | 'INVALID_PROMPT'; // the file no longer parses as a prompt

export class PublishedPromptError extends Error {
  override name = 'PublishedPromptError';

  constructor(
    readonly code: PublishedPromptErrorCode,
    message: string,
  ) {
    super(message);
  }
}
