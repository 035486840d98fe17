import { ConflictError } from './storeErrors';

/** One current release per prompt name and env (migration 17): two paths cannot both publish a name in an env. */
export const RELEASE_NAME_INDEX = 'releases_name_env_key';

const RELEASE_NAME_TAKEN = {
  index: RELEASE_NAME_INDEX,
  field: 'content',
  message:
    "This prompt's name is already published in its env from another path; rename this prompt or unpublish that one.",
};

/** Unique indexes (same names in both dialects) → the API field and message a conflict maps to. */
const UNIQUE_INDEXES: Record<string, { field: string; message: string; index?: string }> = {
  users_username_key: { field: 'username', message: 'A user with this username already exists.' },
  // SQLite names the column, not the index, when a plain column index is violated.
  'users.username': { field: 'username', message: 'A user with this username already exists.' },
  user_emails_email_key: { field: 'emails', message: 'One of these emails already belongs to another user.' },
  signing_keys_fingerprint_key: {
    field: 'publicKey',
    message: 'This signing key is registered already (to you or to another user); a key belongs to one user.',
  },
  'signing_keys.fingerprint': {
    field: 'publicKey',
    message: 'This signing key is registered already (to you or to another user); a key belongs to one user.',
  },
  workspaces_name_key: { field: 'name', message: 'A workspace with this name already exists.' },
  // Publish answers it with the nameTaken refusal (it knows the path holding the name).
  [RELEASE_NAME_INDEX]: RELEASE_NAME_TAKEN,
  'releases.name, releases.env': RELEASE_NAME_TAKEN,
};

/** A ConflictError for the index named in a driver's message/constraint, or undefined. */
export function conflictForIndex(text: string | undefined): ConflictError | undefined {
  if (!text) return undefined;
  for (const [named, { field, message, index }] of Object.entries(UNIQUE_INDEXES)) {
    if (text.includes(named)) return new ConflictError(message, field, index ?? named);
  }
  return undefined;
}
