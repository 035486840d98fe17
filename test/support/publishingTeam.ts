import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from './bareRemote';
import { ServedTeam } from './cliAgainstServer';
import { promptText } from './reviewFixtures';
import { PROMPTLAYER_ACCESS } from './reviewServer';

export interface PublishingTeam {
  served: ServedTeam;
  /** Each person's clone of the shared remote, signed in there. */
  clones: Record<string, string>;
  /** The first commit on the remote's main: the access file, directory, policy record and prompts. */
  baseSha: string;
  /** What `init` printed. */
  initOutput: string;
}

/**
 * PromptLayer's team (test/fixtures/policies/promptlayer.access.yaml) around one bare remote,
 * set up as a team would: the admin writes the access file and the prompts in their clone,
 * runs `init` (server and key pinned, user directory, attributes, the pre-commit hook),
 * commits through the hook, pushes, runs `apply` and folds its signed record into that first
 * commit. Each of `people` (users with role viewer and git email `<name>@example.com`; their
 * roles come from the access file) gets a clone of their own and signs in there.
 */
export async function startPublishingTeam(
  prefix: string,
  people: readonly string[],
  prompts: Record<string, string>,
): Promise<PublishingTeam> {
  const served = await ServedTeam.start({ prefix, remote: true, seedClone: 'admin' });
  const { seed } = served;
  const admin = served.people.admin;
  for (const name of people) served.addUser(name, 'viewer', `${name}@example.com`);
  mkdirSync(join(seed, '.promptops'), { recursive: true });
  writeFileSync(join(seed, '.promptops/access.yaml'), PROMPTLAYER_ACCESS);
  for (const [path, body] of Object.entries(prompts)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), promptText(body, { env: 'dev' }));
  }
  const init = admin.ok(['init']);
  assert.match(init, /Pinned server and publicKey in \.promptops\/access\.yaml/);
  git(seed, 'add', '-A');
  // The pre-commit hook init installed runs as the signed-in admin.
  const asAdmin = {
    cwd: seed,
    stdio: 'pipe' as const,
    env: { ...process.env, XDG_CONFIG_HOME: admin.configHome, PROMPTOPS_SERVER: '' },
  };
  execFileSync('git', ['commit', '-qm', 'prompts, access file and user directory'], asAdmin);
  git(seed, 'push', '-q', 'origin', 'main');
  // apply takes the access file as pushed, and writes the server's signed record to commit.
  assert.match(admin.ok(['apply']), /Wrote \.promptops\/policy\.lock/);
  // Folded into the first commit: the built-in admin has no git email in the directory, and
  // CI clones judge every commit after the root.
  git(seed, 'add', '.promptops/policy.lock');
  execFileSync('git', ['commit', '-q', '--amend', '--no-edit'], asAdmin);
  git(seed, 'push', '-q', '--force', 'origin', 'main');
  const baseSha = git(seed, 'rev-parse', 'HEAD').trim();
  const clones: Record<string, string> = {};
  for (const name of people) {
    clones[name] = served.remote!.clone(name);
    served.signIn(name, clones[name]);
  }
  return { served, clones, baseSha, initOutput: init };
}
