import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { importPublicKey, parseUserDirectory, verifyUserDirectorySignature } from '../../../src/core/release';
import { fingerprintOfKeyLine } from '../../../src/core/release/sshSigningKey';
import type { RunningServer } from '../../../src/server/startServer';
import type { DirectoryResponse } from '../../../src/shared/api/directory';
import type { SigningKeyDto } from '../../../src/shared/api/signingKeys';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { createUserDirect, sessionFor, STATIC_TOKEN, startTestServer } from '../../support/serverFixtures';
import { sshPublicKeyLine } from '../../support/sshKeys';

describeEachBackend('commit-signing keys', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend);
  });
  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  const call = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
    server.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const errorOf = (r: LightMyRequestResponse) =>
    r.json<{ error: { code: string; message: string; field?: string } }>().error;

  it('a user registers, lists and removes their own keys; each change is audited', async () => {
    const id = await createUserDirect(server, 'viewer');
    const token = await sessionFor(server, id);
    const line = sshPublicKeyLine('vic@laptop');
    const added = await call(token, 'POST', '/api/users/me/signing-keys', { publicKey: `${line}\n` });
    assert.equal(added.statusCode, 201, added.body);
    const key = added.json<SigningKeyDto>();
    assert.equal(key.fingerprint, fingerprintOfKeyLine(line));
    assert.equal(key.comment, 'vic@laptop');
    assert.equal(key.publicKey, line.split(' ').slice(0, 2).join(' '));
    const listed = await call(token, 'GET', '/api/users/me/signing-keys');
    assert.deepEqual(listed.json<{ keys: SigningKeyDto[] }>().keys, [key]);
    const removed = await call(token, 'DELETE', `/api/users/me/signing-keys/${encodeURIComponent(key.fingerprint)}`);
    assert.equal(removed.statusCode, 204, removed.body);
    assert.deepEqual((await call(token, 'GET', '/api/users/me/signing-keys')).json(), { keys: [] });
    const audit = await server.store.listAudit({ limit: 5 });
    assert.deepEqual(
      audit.filter((a) => a.targetId === id).map((a) => a.action),
      ['user.signing_key.remove', 'user.signing_key.add'],
    );
  });

  it('refuses garbage (422, field publicKey) and a key registered to anyone already (409)', async () => {
    const token = await sessionFor(server, await createUserDirect(server, 'editor'));
    const other = await sessionFor(server, await createUserDirect(server, 'editor'));
    for (const [bad, pattern] of [
      ['ssh-rsa AAAAB3NzaC1yc2E', /only ssh-ed25519 keys/],
      ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----', /PRIVATE key/],
      ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==', /not an ed25519 public key/],
    ] as const) {
      const r = await call(token, 'POST', '/api/users/me/signing-keys', { publicKey: bad });
      assert.equal(r.statusCode, 422, r.body);
      assert.equal(errorOf(r).field, 'publicKey');
      assert.match(errorOf(r).message, pattern);
    }
    const line = sshPublicKeyLine();
    assert.equal((await call(token, 'POST', '/api/users/me/signing-keys', { publicKey: line })).statusCode, 201);
    const again = await call(other, 'POST', '/api/users/me/signing-keys', { publicKey: line.replace(/ \S+$/, ' x') });
    assert.equal(again.statusCode, 409, again.body);
    assert.match(errorOf(again).message, /registered already/);
  });

  it("admins manage anyone's keys; the signed directory carries them and its serial increases", async () => {
    const bot = await createUserDirect(server, 'editor', `bot${process.pid}${Date.now() % 100000}`);
    const line = sshPublicKeyLine('release-bot');
    const r = await call(STATIC_TOKEN, 'POST', `/api/users/${bot}/signing-keys`, { publicKey: line });
    assert.equal(r.statusCode, 201, r.body);
    const first = (await call(STATIC_TOKEN, 'GET', '/api/directory')).json<DirectoryResponse>();
    const second = (await call(STATIC_TOKEN, 'GET', '/api/directory')).json<DirectoryResponse>();
    assert.ok(second.directory.serial > first.directory.serial);
    const parsed = parseUserDirectory(second.file);
    assert.ok(parsed.directory);
    const publicKey = importPublicKey(
      (await call(STATIC_TOKEN, 'GET', '/api/keys/public')).json<{ spkiBase64: string }>().spkiBase64,
    );
    assert.equal(verifyUserDirectorySignature(parsed.directory, publicKey), true);
    const user = parsed.directory.users.find((u) => u.signingKeys?.length);
    assert.deepEqual(
      second.directory.users.flatMap((u) => u.signingKeys),
      parsed.directory.users.flatMap((u) => u.signingKeys ?? []),
    );
    assert.ok(user);
    assert.ok(second.directory.users.some((u) => u.signingKeys.includes(line.split(' ').slice(0, 2).join(' '))));
    const fp = encodeURIComponent(fingerprintOfKeyLine(line)!);
    assert.equal((await call(STATIC_TOKEN, 'DELETE', `/api/users/${bot}/signing-keys/${fp}`)).statusCode, 204);
    assert.equal((await call(STATIC_TOKEN, 'DELETE', `/api/users/${bot}/signing-keys/${fp}`)).statusCode, 404);
  });
});
