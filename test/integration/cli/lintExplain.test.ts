import assert from 'node:assert/strict';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureBuilt, ROOT, runCli, tempGitRepo } from '../../support/cli';

const ACCESS = `version: 1
roles:
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
  support:
    paths: ["prompts/support/**"]
    members: { carol: publisher }
    environments:
      prod: { edit: [publisher], publish: [publisher] }
`;
const PROD_PROMPT = '---\nmodel: gpt-4o\nenv: prod\n---\n<system>\n  Be brief.\n</system>\n';

describe('promptops lint', () => {
  before(ensureBuilt);

  it('exits 0 and says so on a clean repository', () => {
    const dir = tempGitRepo({ '.promptops/access.yaml': ACCESS, 'prompts/support/a.prompt': PROD_PROMPT });
    const r = runCli(['lint', dir], dir);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /1 prompt file and the access file: no problems/);
    assert.equal(r.status, 0);
  });

  it('prints each problem as file:line:col field: message and exits 1', () => {
    const dir = tempGitRepo({
      '.promptops/access.yaml': ACCESS.replace('carol: publisher', 'carol: publsher'),
      'prompts/support/a.prompt': PROD_PROMPT.replace('env: prod', 'env: staging'),
    });
    const r = runCli(['lint', '.'], dir);
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n'), [
      '.promptops/access.yaml:7:23 workspaces.support.members.carol: unknown role "publsher" (did you mean "publisher"?)',
      'prompts/support/a.prompt:3:6 env: unknown environment "staging"; the access file declares "dev", "test", "prod"',
    ]);
  });

  it('reads every valid real-world prompt fixture and locates the errors in the two invalid ones', () => {
    const dir = tempGitRepo({});
    mkdirSync(join(dir, 'fixtures'));
    cpSync(join(ROOT, 'test/fixtures/real-prompts'), join(dir, 'fixtures'), { recursive: true });
    const r = runCli(['lint', '--json', 'fixtures'], dir);
    assert.equal(r.status, 1);
    const out = JSON.parse(r.stdout) as { prompts: number; problems: { file: string; line: number; field: string }[] };
    const files = new Set(out.problems.map((p) => p.file));
    assert.deepEqual([...files].sort(), [
      'fixtures/github-models/ai-inference-invalid-role.prompt.yml',
      'fixtures/github-models/ai-inference-missing-messages.prompt.yml',
    ]);
    assert.ok(out.problems.some((p) => p.field === 'messages[0].role' && p.line > 1));
    assert.ok(out.problems.some((p) => p.field === 'messages' && p.line === 1));
  });

  it('refuses a folder that does not exist with a clear message and exit 2', () => {
    const dir = tempGitRepo({});
    const r = runCli(['lint', 'no/such/dir'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no\/such\/dir is not a folder/);
  });
});

describe('promptops explain', () => {
  before(ensureBuilt);

  it('lists each action with yes/no and the reason, for a member and for an org editor', () => {
    const dir = tempGitRepo({ '.promptops/access.yaml': ACCESS, 'prompts/support/a.prompt': PROD_PROMPT });
    const bob = runCli(['explain', 'prompts/support/a.prompt', '--user', 'bob', '--role', 'editor'], dir);
    assert.equal(bob.status, 0, bob.stderr);
    const lines = bob.stdout.split('\n');
    assert.equal(lines[0], 'prompts/support/a.prompt (workspace support, env prod)');
    assert.match(bob.stdout, /yes {2}prompt\.read +You may view prod prompts in `support`: you are `editor`\./);
    assert.match(
      bob.stdout,
      /no {3}prompt\.edit +Read-only: prod prompts in `support` need the `publisher` role; you are `editor`\./,
    );
    const carol = runCli(
      ['explain', join(dir, 'prompts/support/a.prompt'), '--user', 'carol', '--role', 'editor', '--json'],
      ROOT,
    );
    const json = JSON.parse(carol.stdout) as { decisions: { action: string; allowed: boolean }[] };
    assert.equal(json.decisions.find((d) => d.action === 'prompt.publish')!.allowed, true);
  });

  it('rejects an unknown org role', () => {
    const dir = tempGitRepo({ '.promptops/access.yaml': ACCESS, 'prompts/support/a.prompt': PROD_PROMPT });
    const r = runCli(['explain', 'prompts/support/a.prompt', '--user', 'bob', '--role', 'owner'], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Allowed choices are viewer, editor, admin/);
  });
});
