import assert from 'node:assert/strict';
import { parseTrustedProxies, serverOptionsFromEnv } from '../../../src/server/serverOptions';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer, uniqueName } from '../../support/serverFixtures';

describe('PROMPTOPS_TRUSTED_PROXIES', () => {
  it('reads addresses, CIDR ranges, named ranges or a hop count', () => {
    assert.equal(parseTrustedProxies(undefined), undefined);
    assert.equal(parseTrustedProxies(''), undefined);
    assert.equal(parseTrustedProxies('0'), undefined);
    assert.equal(parseTrustedProxies('2'), 2);
    assert.deepEqual(parseTrustedProxies('10.0.0.0/8, 192.168.1.5,loopback,fd00::/8,::1'), [
      '10.0.0.0/8',
      '192.168.1.5',
      'loopback',
      'fd00::/8',
      '::1',
    ]);
  });

  it('refuses a malformed value with a sentence that says what to write', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.1,', '1.2.3.4/8/8', 'true', '-1']) {
      assert.throws(() => parseTrustedProxies(bad), /PROMPTOPS_TRUSTED_PROXIES: .*(CIDR|hop)/, bad);
    }
    assert.throws(() => parseTrustedProxies('99'), /hops/);
  });

  it('refuses the old on/off PROMPTOPS_TRUST_PROXY, naming its replacement', () => {
    assert.throws(() => serverOptionsFromEnv({ PROMPTOPS_TRUST_PROXY: '1' }), /set PROMPTOPS_TRUSTED_PROXIES/);
  });
});

describeEachBackend('client address behind proxies', (makeBackend) => {
  let backend: TestBackend;
  let byAddress: RunningServer;
  let byHops: RunningServer;
  let direct: RunningServer;

  before(async () => {
    backend = makeBackend();
    byAddress = await startTestServer(backend, { trustedProxies: ['10.0.0.0/24'] });
    byHops = await startTestServer(backend, { trustedProxies: 1 });
    direct = await startTestServer(backend);
  });

  after(async () => {
    await Promise.all([byAddress?.close(), byHops?.close(), direct?.close()]);
    await backend?.cleanup();
  });

  /** A failed sign-in as a fresh name; returns the address the audit log recorded for it. */
  async function recordedAddress(server: RunningServer, peer: string, forwardedFor?: string): Promise<string> {
    const name = uniqueName('nobody');
    const res = await server.inject({
      method: 'POST',
      url: '/api/login',
      payload: { username: name, password: 'not the password' },
      remoteAddress: peer,
      headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
    });
    assert.equal(res.statusCode, 401, res.body);
    const audit = await server.inject({
      method: 'GET',
      url: `/api/audit?action=session.login_failed&actor=${name}`,
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
    });
    const entries = audit.json<{ entries: { address: string }[] }>().entries;
    assert.equal(entries.length, 1, audit.body);
    return entries[0].address;
  }

  it('takes the right-most address past the trusted proxies, whatever the client wrote to the left', async () => {
    assert.equal(await recordedAddress(byAddress, '10.0.0.7', '6.6.6.6, 198.51.100.5'), '198.51.100.5');
    assert.equal(await recordedAddress(byAddress, '10.0.0.7', '6.6.6.6, 198.51.100.5, 10.0.0.3'), '198.51.100.5');
    assert.equal(await recordedAddress(byHops, '10.9.9.9', '6.6.6.6, 198.51.100.6'), '198.51.100.6');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy, or when none is configured', async () => {
    assert.equal(await recordedAddress(byAddress, '203.0.113.9', '6.6.6.6'), '203.0.113.9');
    assert.equal(await recordedAddress(direct, '203.0.113.9', '6.6.6.6'), '203.0.113.9');
  });

  it('throttles by that address: a forged X-Forwarded-For does not give a guesser fresh addresses', async () => {
    const victim = uniqueName('v');
    const created = await direct.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
      payload: { username: victim, password: 'correct horse battery staple', role: 'viewer' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await byAddress.inject({
        method: 'POST',
        url: '/api/login',
        payload: { username: victim, password: `guess-${i}` },
        remoteAddress: '203.0.113.50',
        headers: { 'x-forwarded-for': `198.18.0.${i}` },
      });
      statuses.push(res.statusCode);
    }
    // 5 free failures, the 6th starts the delay: counted against 203.0.113.50 throughout.
    assert.deepEqual(statuses, [401, 401, 401, 401, 401, 401, 429, 429]);
  });
});
