import { ConflictError } from './storeErrors';

/** Unique indexes (same names in both dialects) → the API field and message a conflict maps to. */
const UNIQUE_INDEXES: Record<string, { field: string; message: string }> = {
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
};

/** A ConflictError for the index named in a driver's message/constraint, or undefined. */
export function conflictForIndex(text: string | undefined): ConflictError | undefined {
  if (!text) return undefined;
  for (const [index, { field, message }] of Object.entries(UNIQUE_INDEXES)) {
    if (text.includes(index)) return new ConflictError(message, field);
  }
  return undefined;
}
