import assert from 'node:assert/strict';
import type { AccessReviewResponse } from '../../../src/shared/api/accessReview';
import type { InviteDto } from '../../../src/shared/api/invites';
import { ServedTeam } from '../../support/cliAgainstServer';
import { http } from '../../support/serverHttp';

const ERIN_PASSWORD = 'erin picks a violet tractor 9';

/** `promptops invites …`, `invite accept` and `access review` as people type them, against `promptops serve`. */
describe('CLI: promptops invites, invite accept, access review', function () {
  this.timeout(120_000);
  let team: ServedTeam;
  let serve: ServedTeam['serve'];
  let people: ServedTeam['people'];

  before(async () => {
    team = await ServedTeam.start();
    ({ serve, people } = team);
    team.person('erin');
  });

  after(() => team?.stop());

  it('invites erin, who accepts once with her own password and signs in', () => {
    const out = people.admin.ok(['invites', 'create', 'erin', '--role', 'editor', '--expires', '3d']);
    const token = /promptops invite accept (poi_[0-9a-f]{16}_[A-Za-z0-9_-]{43})/.exec(out)?.[1];
    assert.ok(token, `the token is printed with the command to run: ${out}`);
    assert.ok(out.includes(`${serve.url}/invite#${token}`), 'and the page to open');
    const [listed] = people.admin.json<InviteDto[]>(['invites', 'list']);
    assert.equal(listed.state, 'pending');
    assert.ok(!people.admin.ok(['invites', 'list']).includes(token.slice(-43)), 'the list never shows the token');

    const weak = people.erin.run(['invite', 'accept', token, '--server', serve.url], {
      PROMPTOPS_NEW_PASSWORD: 'erin1234',
    });
    assert.notEqual(weak.status, 0);
    assert.match(weak.stderr, /at least 12 characters/);

    const accepted = people.erin.ok(['invite', 'accept', token, '--server', serve.url], {
      PROMPTOPS_NEW_PASSWORD: ERIN_PASSWORD,
    });
    assert.match(accepted, /Your account erin \(editor\) is ready/);
    people.erin.ok(['login', '--server', serve.url, '--username', 'erin'], { PROMPTOPS_PASSWORD: ERIN_PASSWORD });

    const reused = people.erin.run(['invite', 'accept', token, '--server', serve.url], {
      PROMPTOPS_NEW_PASSWORD: ERIN_PASSWORD,
    });
    assert.notEqual(reused.status, 0);
    assert.match(reused.stderr, /already accepted/);
    assert.equal(people.admin.json<InviteDto[]>(['invites', 'list'])[0].state, 'accepted');
  });

  it('revokes a pending invite; erin (an editor) may not invite', () => {
    const out = people.admin.ok(['invites', 'create', 'gus', '--role', 'viewer', '--json']);
    const { invite } = JSON.parse(out) as { invite: InviteDto };
    assert.match(people.admin.ok(['invites', 'revoke', invite.id]), /Revoked invite/);
    const refused = people.erin.run(['invites', 'create', 'hal', '--role', 'viewer']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Inviting users needs/);
  });

  it('access review: table, JSON and CSV, with flags that say what to do', async () => {
    const login = await http(serve.url, {
      method: 'POST',
      path: '/api/login',
      body: { username: 'admin', password: 'admin' },
    });
    const token = (login.json as { token: string }).token;
    const applied = await http(serve.url, {
      method: 'PUT',
      path: '/api/policy',
      token,
      body: {
        content:
          'version: 1\nworkspaces:\n  support:\n    paths: ["prompts/support/**"]\n    members: { erin: viewer, zoe: editor }\n',
        commit: 'a'.repeat(40),
      },
    });
    assert.equal(applied.status, 200, applied.text);

    const json = people.admin.json<AccessReviewResponse>(['access', 'review', '--days', '30']);
    assert.equal(json.days, 30);
    const erin = json.rows.filter((r) => r.username === 'erin');
    assert.deepEqual(erin.map((r) => `${r.workspace}/${r.env} ${r.role} ${r.source}`).sort(), [
      'default/dev editor org',
      'default/prod editor org',
      'default/test editor org',
      'support/dev viewer member',
      'support/prod viewer member',
      'support/test viewer member',
    ]);
    const flags = json.flags.map((f) => `${f.username} ${f.kind}`);
    assert.ok(flags.includes('zoe not-on-server'), flags.join('; '));
    assert.ok(flags.includes('erin no-git-email') && flags.includes('erin no-signing-key'), flags.join('; '));
    assert.ok(!flags.includes('erin no-sign-in'), 'erin signed in just now');
    assert.ok(json.users.find((u) => u.username === 'erin')?.lastSignInAt, 'last sign-in from the audit log');

    const table = people.admin.ok(['access', 'review']);
    assert.match(table, /^erin {2}org role editor {2}last sign-in \d{4}-/m);
    assert.match(table, /support +dev: viewer \(bound\)/);
    assert.match(table, /^admin .*\n {4}last used: .*user\.invite \d{4}-\d\d-\d\d/m, 'the admin invited erin');
    assert.match(
      table,
      /zoe: zoe is bound in the access file \(support\) but has no account on the server\.\n +→ Invite them/,
    );

    const csv = people.admin.ok(['access', 'review', '--csv']).trimEnd().split('\n');
    assert.equal(csv[0], 'username,org_role,workspace,env,role,role_source,last_sign_in,api_keys,flags');
    assert.ok(
      csv.some((l) =>
        /^erin,editor,support,prod,viewer,member,\d{4}-[^,]+,,no-git-email no-signing-key unused-right$/.test(l),
      ),
      csv.join('\n'),
    );
    assert.ok(csv.includes('zoe,,,,,,,,not-on-server'));

    const denied = people.erin.run(['access', 'review']);
    assert.notEqual(denied.status, 0);
    assert.match(denied.stderr, /manage users|admin/);
  });
});
