/** Human wording for pattern/format rules, so a 422 says what is expected, not a regex. */
const HINTS: Record<string, string> = {
  username: '1–64 characters: letters, digits and . _ @ + -, starting with a letter or digit',
  name: '1–64 characters: letters, digits and . _ -, starting with a letter or digit',
  id: '1–64 characters: letters, digits, _ and -',
  emails: 'an email address',
};

export function fieldHint(field: string): string | undefined {
  return HINTS[field.split('.')[0]];
}
