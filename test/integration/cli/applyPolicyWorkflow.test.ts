import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeWorkingTree } from '../../../src/cli/nodeWorkingTree';
import { openGitRepository } from '../../../src/git';
import type { ApplyPolicyResponse } from '../../../src/shared/api/policy';
import { applyCommittedPolicy } from '../../../src/workflows/applyPolicy';
import { WorkflowRefusal } from '../../../src/workflows/workingTree';

const ACCESS = 'version: 1\nworkspaces:\n  support:\n    paths: ["prompts/support/**"]\n';

/** What the server was sent; the server's own side is tested in reviews/policyReview.test.ts. */
function recordingClient() {
  const sent: { content: string; commit: string }[] = [];
  return {
    sent,
    applyPolicy(content: string, commit: string): Promise<ApplyPolicyResponse> {
      sent.push({ content, commit });
      return Promise.resolve({
        changed: true,
        createdWorkspaces: [],
        deletedWorkspaces: [],
        policy: { version: 1, record: null } as unknown as ApplyPolicyResponse['policy'],
      });
    },
  };
}

describe('apply in a clone with no remote (one person, the demo)', () => {
  let dir = '';
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' }).trim();

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-apply-'));
    mkdirSync(join(dir, '.promptops'));
    writeFileSync(join(dir, '.promptops/access.yaml'), ACCESS);
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=a@example.com', '-c', 'user.name=A', 'commit', '-q', '--allow-empty', '-m', 'empty');
    git('add', '-A');
    git('-c', 'user.email=a@example.com', '-c', 'user.name=A', 'commit', '-q', '-m', 'access file');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('sends the access file as committed at the branch tip, with that commit', async () => {
    const client = recordingClient();
    const outcome = await applyCommittedPolicy(
      { repo: await openGitRepository(dir), tree: new NodeWorkingTree(dir), client },
      { remote: 'origin' },
    );
    assert.deepEqual(client.sent, [{ content: ACCESS, commit: git('rev-parse', 'HEAD') }]);
    assert.equal(outcome.branch, 'main');
    assert.match(outcome.foundOn, /no remote origin/);
  });

  it('still refuses an uncommitted access file, and a commit that is not on the branch; nothing is sent', async () => {
    const client = recordingClient();
    const ports = { repo: await openGitRepository(dir), tree: new NodeWorkingTree(dir), client };
    writeFileSync(join(dir, '.promptops/access.yaml'), `${ACCESS}# edited\n`);
    await assert.rejects(applyCommittedPolicy(ports, { remote: 'origin' }), (err: Error) => {
      assert.ok(err instanceof WorkflowRefusal);
      assert.match(err.message, /not the one committed at [0-9a-f]{7}.*Nothing was applied/);
      return true;
    });
    git('checkout', '-q', '-b', 'side');
    git('-c', 'user.email=a@example.com', '-c', 'user.name=A', 'commit', '-qam', 'side edit');
    const side = git('rev-parse', 'HEAD');
    git('checkout', '-q', 'main');
    await assert.rejects(applyCommittedPolicy(ports, { remote: 'origin', commit: side }), /is not on main/);
    assert.deepEqual(client.sent, []);
  });
});
