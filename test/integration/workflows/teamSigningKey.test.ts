import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openGitRepository } from '../../../src/git';
import { signAsTeamMember, TEAM_SIGNING_KEYS_SETTING } from '../../../src/workflows/teamSigningKey';
import { tempGitRepo } from '../../support/cli';

describe('signAsTeamMember: git signs as whoever signs in, from a team folder of keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempGitRepo({ 'README.md': '# x\n' });
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'erin'), 'a key file');
    writeFileSync(join(dir, 'secret'), 'not a key');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('changes nothing in a clone without a team folder', async () => {
    const repo = await openGitRepository(dir);
    assert.equal(await signAsTeamMember(repo, 'erin'), undefined);
    assert.equal(await repo.configValue('user.signingkey'), undefined);
  });

  it("points user.signingkey at the user's key, and leaves it for a user with no key or a name that is no plain file name", async () => {
    const repo = await openGitRepository(dir);
    await repo.setLocalConfig(TEAM_SIGNING_KEYS_SETTING, join(dir, 'keys'));
    assert.equal(await signAsTeamMember(repo, 'erin'), join(dir, 'keys', 'erin'));
    assert.equal(await repo.configValue('user.signingkey'), join(dir, 'keys', 'erin'));
    assert.equal(await repo.configValue('gpg.format'), 'ssh');
    assert.equal(await repo.configValue('commit.gpgsign'), 'true');
    for (const name of ['paul', '../secret', '..', 'keys/../../secret'])
      assert.equal(await signAsTeamMember(repo, name), undefined, name);
    assert.equal(await repo.configValue('user.signingkey'), join(dir, 'keys', 'erin'));
  });
});
