import type { PromptOpsClient } from '../client/promptOpsClient';
import { normalizeUsername } from '../core/users/username';
import type { UserDto } from '../shared/api/users';

/** The server's user of that name (as sign-in normalises it); `command` prefixes the error when there is none. */
export async function userNamed(client: PromptOpsClient, username: string, command = 'users'): Promise<UserDto> {
  const user = (await client.listUsers()).find((u) => u.username === normalizeUsername(username));
  if (!user) throw new Error(`${command}: no user "${username}" on ${client.server}`);
  return user;
}
