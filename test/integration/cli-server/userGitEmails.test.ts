import assert from 'node:assert/strict';
import { ServedTeam, type CliUser } from '../../support/cliAgainstServer';

/** `promptops users git-email list|add|remove` and `workspaces create` as people type them, and who is refused. */
describe('CLI: promptops users git-email, workspaces create', function () {
  this.timeout(120_000);
  let team: ServedTeam;
  let people: ServedTeam['people'];

  before(async () => {
    team = await ServedTeam.start();
    people = team.people;
    team.addPerson('erin', 'editor');
    team.addPerson('finn', 'viewer');
  });

  after(() => team?.stop());

  it('an admin adds, lists and removes a user’s git emails; the access review stops flagging them', async () => {
    const { admin } = people;
    assert.equal(admin.ok(['users', 'git-email', 'list', 'erin']), 'erin has no git email.\n');
    assert.match(
      admin.ok(['access', 'review']),
      /erin: erin has no git email[^\n]*\n +→ .*promptops users git-email add erin <email>/,
    );

    assert.equal(
      admin.ok(['users', 'git-email', 'add', 'erin', 'erin@example.com']),
      "erin's git emails: erin@example.com\n",
    );
    admin.ok(['users', 'git-email', 'add', 'erin', 'erin@work.example']);
    assert.deepEqual(admin.json<string[]>(['users', 'git-email', 'list', 'erin']), [
      'erin@example.com',
      'erin@work.example',
    ]);
    assert.doesNotMatch(admin.ok(['access', 'review']), /erin has no git email/);

    assert.match(
      admin.ok(['users', 'git-email', 'remove', 'erin', 'ERIN@work.example']),
      /^erin's git emails: erin@example\.com\n$/,
    );
    assert.deepEqual(admin.json<string[]>(['users', 'git-email', 'list', 'erin']), ['erin@example.com']);
  });

  it('refuses a duplicate, an absent one, a malformed one, another user’s, and anyone but an admin', async () => {
    const { admin, erin } = people;
    const refusal = (who: CliUser, args: string[]) => {
      const r = who.run(['users', 'git-email', ...args]);
      assert.notEqual(r.status, 0, args.join(' '));
      return r.stderr;
    };
    assert.match(refusal(admin, ['add', 'erin', 'erin@example.com']), /erin has erin@example\.com already/);
    assert.match(refusal(admin, ['remove', 'erin', 'nobody@example.com']), /erin has no git email nobody@example\.com/);
    assert.match(refusal(admin, ['add', 'erin', 'not-an-email']), /"emails\.1" must be an email address/);
    assert.match(refusal(admin, ['add', 'finn', 'erin@example.com']), /already belongs to another user/);
    assert.match(refusal(admin, ['add', 'ghost', 'g@example.com']), /no user "ghost"/);
    // An editor may not change anyone's emails, not even her own.
    assert.match(
      refusal(erin, ['add', 'erin', 'erin@home.example']),
      /Managing users needs the `admin` role; you are `editor`/,
    );
    assert.deepEqual(admin.json<string[]>(['users', 'git-email', 'list', 'erin']), ['erin@example.com']);
    assert.deepEqual(admin.json<string[]>(['users', 'git-email', 'list', 'finn']), []);
  });

  it('workspaces create prints the access-file entry that binds people to it; a viewer is refused', async () => {
    assert.equal(
      people.erin.ok(['workspaces', 'create', 'billing']),
      'Created workspace billing.\nTo bind people to it, add to .promptops/access.yaml:\n\n' +
        'workspaces:\n  billing:\n    paths:\n      - prompts/billing/**\n    members:\n      erin: editor\n\n' +
        'Add it to .promptops/access.yaml (under `workspaces:`), bind people in `members` (username: role), and have an admin apply it (promptops apply): until then the workspace holds no prompts and binds nobody.\n',
    );
    const refused = people.finn.run(['workspaces', 'create', 'finance']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Creating workspaces needs the `editor` role; you are `viewer`/);
  });
});
