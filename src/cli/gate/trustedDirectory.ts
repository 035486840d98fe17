import { formatDiagnostic } from '../../core/diagnostics';
import type { TrustedKeys } from '../../core/release/lockEntryVerdict';
import {
  parseUserDirectory,
  USER_DIRECTORY_PATH,
  verifyUserDirectorySignature,
  type SignedUserDirectory,
} from '../../core/release/userDirectory';

/** Why a committed user directory vouches for nobody: a located parse error, or a bad signature. */
export interface DirectoryProblem {
  /** `file:line:col` for a malformed file, else the directory's path. */
  file: string;
  reason: string;
}

/**
 * The user directory in `text`, when a trusted key (the anchor or one the key chain joins to it) signed it: what verify and the
 * pre-commit hook both rely on to map a commit (or a committer's key) to a user offline.
 * `at` (e.g. " at the base") says which version, for the messages.
 */
export function trustedDirectory(
  text: string,
  keys: TrustedKeys,
  at = '',
): { directory: SignedUserDirectory; problems: [] } | { directory?: undefined; problems: DirectoryProblem[] } {
  const parsed = parseUserDirectory(text);
  const problems = parsed.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => ({ file: `${d.file}:${d.line}:${d.column}${at}`, reason: formatDiagnostic(d).replace(/^\S+ /, '') }));
  if (!parsed.directory) return { problems };
  const key = keys.get(parsed.directory.keyId);
  if (!key || !verifyUserDirectorySignature(parsed.directory, key))
    return {
      problems: [
        {
          file: USER_DIRECTORY_PATH,
          reason: `${at ? `${at.trim()}, ` : ''}its signature does not verify against the trusted key${keys.size === 1 ? '' : 's'} ${[...keys.keys()].join(', ')}: the directory was edited or forged, so it vouches for no commit author`,
        },
      ],
    };
  return { directory: parsed.directory, problems: [] };
}
