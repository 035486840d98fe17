import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { signCommitsWith } from '../git/commitSigningSetup';
import type { GitRepository } from '../git/gitRepository';

/**
 * Repository-local git setting naming a folder of SSH keys, one per user and named by the
 * username (the demo's sample team, made by `npm run demo`). Where it is set, whoever signs
 * in to PromptOps has git sign this clone's commits with their own key, so people taking
 * turns in one clone each commit as themselves.
 */
export const TEAM_SIGNING_KEYS_SETTING = 'promptops.teamSigningKeys';

/**
 * Points git's commit signing at `username`'s key from the team folder; the key file used,
 * or undefined when no team folder is set up or it has no key for them (nothing changes).
 */
export async function signAsTeamMember(repo: GitRepository, username: string): Promise<string | undefined> {
  const folder = await repo.configValue(TEAM_SIGNING_KEYS_SETTING);
  if (folder === undefined || !/^[A-Za-z0-9._-]+$/.test(username) || username.startsWith('.')) return undefined;
  const key = join(isAbsolute(folder) ? folder : join(repo.root, folder), username);
  if (!existsSync(key)) return undefined;
  await signCommitsWith(repo, key);
  return key;
}
