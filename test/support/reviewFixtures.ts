import { contentSha256 } from '../../src/core/release/contentHash';
import type { BuiltinRole } from '../../src/core/policy/actions';
import type { RunningServer } from '../../src/server/startServer';
import type { ReviewDto } from '../../src/shared/api/reviews';
import { createUserDirect, sessionFor, uniqueName } from './serverFixtures';
import { errorOf, http } from './serverHttp';

/** A Humanloop-syntax prompt file; `fields` go into its front matter (workspace, env, …). */
export function promptText(body: string, fields: Record<string, string> = {}): string {
  const front = Object.entries({ model: 'gpt-4o', temperature: '0.2', ...fields }).map(([k, v]) => `${k}: ${v}`);
  return `---\n${front.join('\n')}\n---\n<system>\n  ${body}\n</system>\n<user>\n  {{question}}\n</user>\n`;
}

export const sha = (text: string): string => contentSha256(text);

/** A user straight in the store plus a live session token for them. */
export interface TestUser {
  id: string;
  username: string;
  token: string;
}

export async function testUser(
  server: RunningServer,
  role: BuiltinRole,
  username = uniqueName(role),
): Promise<TestUser> {
  const id = await createUserDirect(server, role, username);
  return { id, username, token: await sessionFor(server, id) };
}

/** POST that must succeed; throws with the server's error otherwise (fixtures, not assertions). */
export async function mustPost<T>(server: RunningServer, token: string, path: string, body: unknown): Promise<T> {
  const res = await http(server.url, { method: 'POST', path, token, body });
  if (res.status >= 300) throw new Error(`POST ${path} → ${res.status}: ${errorOf(res).message}`);
  return res.json as T;
}

/** An open review of a fresh prompt in `default`/`dev`, by a fresh editor. */
export async function openReview(server: RunningServer): Promise<{ review: ReviewDto; author: TestUser }> {
  const author = await testUser(server, 'editor');
  const path = `prompts/${uniqueName('p')}.prompt`;
  const review = await mustPost<ReviewDto>(server, author.token, '/api/reviews', {
    path,
    content: promptText('Be brief.'),
    note: 'first draft',
  });
  return { review, author };
}

/** An open review that a second editor has approved, so the default rule is met. */
export async function approvedReview(server: RunningServer): Promise<{ review: ReviewDto; author: TestUser }> {
  const { review, author } = await openReview(server);
  const approver = await testUser(server, 'editor');
  const approved = await mustPost<ReviewDto>(server, approver.token, `/api/reviews/${review.id}/approve`, {
    headHash: review.headHash,
  });
  return { review: approved, author };
}

/** The built-in rules written as a file, with a marker so each apply is a new version. */
export function neutralAccessFile(marker = uniqueName('v')): string {
  return `# ${marker}\nversion: 1\nenvironments: [dev, test, prod]\n`;
}
