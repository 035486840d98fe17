import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { LoginThrottlePolicy } from '../../../src/server/auth/loginThrottle';
import type { RunningServer } from '../../../src/server/startServer';
import { describeEachBackend, type TestBackend } from '../../support/serverBackends';
import { STATIC_TOKEN, startTestServer, uniqueName } from '../../support/serverFixtures';

const PASSWORD = 'correct horse battery staple';
const MINUTE = 60 * 1000;

/** Small numbers, so a test reaches every limit in a few requests. */
const POLICY: LoginThrottlePolicy = {
  accountAddress: { freeFailures: 3, baseDelayMs: 60_000, maxDelayMs: 15 * MINUTE, forgetAfterMs: 60 * MINUTE },
  address: { freeFailures: 6, baseDelayMs: 60_000, maxDelayMs: 5 * MINUTE, forgetAfterMs: 60 * MINUTE },
  account: { freeFailures: 8, baseDelayMs: 1000, maxDelayMs: 2000, forgetAfterMs: 60 * MINUTE },
};

describeEachBackend('sign-in defences', (makeBackend) => {
  let backend: TestBackend;
  let server: RunningServer;
  /** How far the server's clock runs ahead of this one: a test moves it instead of sleeping. */
  let clockAhead = 0;

  before(async () => {
    backend = makeBackend();
    server = await startTestServer(backend, {
      loginThrottle: POLICY,
      rateLimitPerMinute: 30,
      now: () => Date.now() + clockAhead,
    });
  });

  after(async () => {
    await server?.close();
    await backend?.cleanup();
  });

  async function createUser(): Promise<string> {
    const username = uniqueName('u');
    const res = await server.inject({
      method: 'POST',
      url: '/api/users',
      headers: { authorization: `Bearer ${STATIC_TOKEN}` },
      payload: { username, password: PASSWORD, role: 'viewer' },
    });
    assert.equal(res.statusCode, 201, res.body);
    return username;
  }

  const login = (username: string, password: string, from: string): Promise<LightMyRequestResponse> =>
    server.inject({ method: 'POST', url: '/api/login', payload: { username, password }, remoteAddress: from });

  it('failures from one address throttle that address only: the owner still signs in from another', async () => {
    const victim = await createUser();
    for (let i = 0; i < 4; i++) {
      assert.equal((await login(victim, `guess-${i}`, '203.0.113.10')).statusCode, 401);
    }
    const attacker = await login(victim, PASSWORD, '203.0.113.10');
    assert.equal(attacker.statusCode, 429, 'the guessing address is held back, even with the right password');
    assert.ok(Number(attacker.headers['retry-after']) >= 1);
    assert.equal((await login(victim, PASSWORD, '198.51.100.20')).statusCode, 200, 'the owner is not locked out');
  });

  it('limits one address across accounts', async () => {
    const names = await Promise.all([createUser(), createUser(), createUser(), createUser()]);
    for (let i = 0; i < 7; i++) {
      assert.equal((await login(names[i % 3], `guess-${i}`, '203.0.113.11')).statusCode, 401);
    }
    assert.equal(
      (await login(names[3], PASSWORD, '203.0.113.11')).statusCode,
      429,
      'a fresh account from that address',
    );
    assert.equal((await login(names[3], PASSWORD, '198.51.100.21')).statusCode, 200);
  });

  it('slows guessing at one account from many addresses, briefly, never locking it', async () => {
    const victim = await createUser();
    for (let i = 0; i < 9; i++) {
      assert.equal((await login(victim, `guess-${i}`, `203.0.113.${100 + i}`)).statusCode, 401);
    }
    const slowed = await login(victim, PASSWORD, '198.51.100.22');
    assert.equal(slowed.statusCode, 429, 'past the account-wide budget every address waits…');
    assert.ok(Number(slowed.headers['retry-after']) <= 2, '…but only up to the short cap');
    clockAhead += 2100;
    assert.equal((await login(victim, PASSWORD, '198.51.100.22')).statusCode, 200);
  });

  it('rate-limits every route per address, not only sign-in', async () => {
    const from = '192.0.2.77';
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 31; i++) {
      last = await server.inject({ method: 'GET', url: '/api/me', remoteAddress: from });
    }
    assert.equal(last?.statusCode, 429, last?.body);
    assert.equal(last?.json<{ error: { code: string } }>().error.code, 'too_many_requests');
    assert.ok(Number(last?.headers['retry-after']) >= 1);
    const other = await server.inject({ method: 'GET', url: '/healthz', remoteAddress: '192.0.2.78' });
    assert.equal(other.statusCode, 200, 'other addresses are unaffected');
    const loopback = await server.inject({ method: 'GET', url: '/healthz', remoteAddress: '127.0.0.1' });
    assert.equal(loopback.statusCode, 200);
  });
});
