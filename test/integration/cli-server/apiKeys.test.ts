import assert from 'node:assert/strict';
import type { ApiKeyDto, CreateApiKeyResponse } from '../../../src/shared/api/apiKeys';
import { ServedTeam } from '../../support/cliAgainstServer';
import { http } from '../../support/serverHttp';

/** `promptops api-keys create|list|revoke` as people type them, against `promptops serve`. */
describe('CLI: promptops api-keys create, list, revoke', function () {
  this.timeout(120_000);
  let team: ServedTeam;
  let serve: ServedTeam['serve'];
  let people: ServedTeam['people'];

  before(async () => {
    team = await ServedTeam.start();
    ({ serve, people } = team);
    team.addPerson('erin', 'editor');
    team.addPerson('vic', 'viewer');
  });

  after(() => team?.stop());

  it('creates a key, prints its token once, lists it without the secret, and revokes it', async () => {
    const out = people.erin.ok([
      'api-keys',
      'create',
      'ci-reader',
      '--action',
      'prompt.read',
      'review.request',
      '--env',
      'dev',
      '--expires',
      '30d',
    ]);
    const token = /^(pok_[0-9a-f]{16}_[A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
    assert.ok(token, `the token is printed: ${out}`);
    assert.match(out, /shown only now/);

    const me = await http(serve.url, { method: 'GET', path: '/api/me', token });
    assert.equal(me.status, 200);
    const whoami = people.vic.ok(['whoami'], { PROMPTOPS_API_KEY: token, PROMPTOPS_SERVER: serve.url });
    assert.match(whoami, /^erin \(editor\) with the API key ci-reader \(prompt\.read, review\.request\)/);

    const listed = people.erin.ok(['api-keys', 'list']);
    assert.match(listed, /ci-reader/);
    assert.match(listed, /prompt\.read,review\.request; envs dev/);
    assert.ok(!listed.includes(token.slice(-43)), 'the list never shows the secret');
    const json = people.erin.json<ApiKeyDto[]>(['api-keys', 'list']);
    assert.equal(json.length, 1);
    const days = (Date.parse(json[0].expiresAt) - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days <= 30, `expires in 30 days (${days})`);
    assert.equal(people.admin.json<ApiKeyDto[]>(['api-keys', 'list']).length, 1, 'admins see every key');
    assert.equal(people.vic.json<ApiKeyDto[]>(['api-keys', 'list']).length, 0, 'others see none of it');

    assert.equal(people.vic.run(['api-keys', 'revoke', 'ci-reader']).status !== 0, true, 'not vic’s to revoke');
    assert.match(people.erin.ok(['api-keys', 'revoke', 'ci-reader']), /Revoked ci-reader/);
    assert.equal((await http(serve.url, { method: 'GET', path: '/api/me', token })).status, 401);
  });

  it('says why: a viewer may not create keys; an unknown action is named', () => {
    const refused = people.vic.run(['api-keys', 'create', 'mine', '--action', 'prompt.read']);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /Managing API keys needs the `editor` or `admin` role; you are `viewer`/);
    const unknown = people.erin.run(['api-keys', 'create', 'x', '--action', 'prompt.fly']);
    assert.notEqual(unknown.status, 0);
    assert.match(unknown.stderr, /unknown action prompt\.fly/);
  });

  it('--json gives the token for scripts', () => {
    const created = people.erin.json<CreateApiKeyResponse>(['api-keys', 'create', 'bot', '--action', 'prompt.read']);
    assert.match(created.token, /^pok_/);
    assert.equal(created.key.createdBy, 'erin');
    people.erin.ok(['api-keys', 'revoke', created.key.id]);
  });

  it('an admin makes a service account and a key acting as it, for a release bot', () => {
    assert.match(
      people.admin.ok(['users', 'add', 'release-bot', '--role', 'editor', '--service-account']),
      /service account/,
    );
    const created = people.admin.json<CreateApiKeyResponse>([
      'api-keys',
      'create',
      'publisher',
      '--action',
      'prompt.read',
      'prompt.publish',
      '--service-account',
      'release-bot',
    ]);
    assert.equal(created.key.createdBy, 'release-bot');
    const whoami = people.vic.ok(['whoami'], { PROMPTOPS_API_KEY: created.token, PROMPTOPS_SERVER: serve.url });
    assert.match(whoami, /^release-bot \(editor\) with the API key publisher/);
    const refused = people.erin.run([
      'api-keys',
      'create',
      'x',
      '--action',
      'prompt.read',
      '--service-account',
      'release-bot',
    ]);
    assert.notEqual(refused.status, 0);
    assert.match(refused.stderr, /made by admins/);
  });
});
