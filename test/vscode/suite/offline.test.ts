import * as assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { TEST_USERS } from '../fixture/testUsers';
import { POLL_FOCUSED_MS, POLL_UNFOCUSED_MS } from '../../../src/extension/live/liveUpdates';
import { extensionApi, serverUrl, signOut, waitFor } from './helpers';

const pollWithin = () => (vscode.window.state.focused ? POLL_FOCUSED_MS : POLL_UNFOCUSED_MS) + 5_000;

/** A pass-through to the real server that the test can switch off, standing in for a network outage. */
async function startProxy(target: string, port = 0): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('server unreachable', () => {
  after(async () => {
    await vscode.workspace
      .getConfiguration('promptops')
      .update('serverUrl', undefined, vscode.ConfigurationTarget.Global);
    await signOut();
  });

  it('keeps the last known identity read-only, says so, and changes nothing on the server', async () => {
    const api = await extensionApi();
    const proxy = await startProxy(serverUrl());
    await vscode.workspace
      .getConfiguration('promptops')
      .update('serverUrl', proxy.url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptops.signIn', {
      username: TEST_USERS.alice.username,
      password: TEST_USERS.alice.password,
    });
    assert.equal(api.model.session.state.kind, 'signedIn');
    await proxy.close();

    await vscode.commands.executeCommand('promptops.refreshViews');
    await api.settled();
    const state = api.model.session.state;
    assert.equal(state.kind, 'offline');
    assert.equal(api.model.session.user?.username, 'alice', 'the cached identity');
    const server = api.views.access.rootNodes().find((n) => n.options.id === 'access:server');
    assert.match(String(server?.options.description), /unreachable/);
    assert.match(String(server?.options.tooltip), /nothing can be approved or published/);
    assert.throws(() => api.model.session.api(), /Nothing can be changed on the server until it answers/);
    // Editing rights stay as last known: alice may still edit dev prompts locally.
    assert.equal(api.model.editVerdict('prompts/support/greeting.prompt')?.allowed, true);
  });

  it('shows offline at once without Refresh, and recovers by itself when the server is back', async function () {
    this.timeout(2 * pollWithin() + 30_000);
    const api = await extensionApi();
    const proxy = await startProxy(serverUrl());
    await vscode.workspace
      .getConfiguration('promptops')
      .update('serverUrl', proxy.url, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptops.signIn', {
      username: TEST_USERS.alice.username,
      password: TEST_USERS.alice.password,
    });
    assert.equal(api.model.session.state.kind, 'signedIn');
    assert.equal(api.treeViews.reviews.message, undefined);

    await proxy.close();
    await waitFor('the poll to notice', () => api.model.session.state.kind === 'offline', pollWithin());
    for (const [name, view] of Object.entries(api.treeViews))
      assert.match(String(view.message), /Server unreachable/, `the ${name} view says so`);
    const serverRow = () => api.views.access.rootNodes().find((n) => n.options.id === 'access:server');
    assert.match(String(serverRow()?.options.description), /unreachable/);

    const back = await startProxy(serverUrl(), proxy.port);
    try {
      await waitFor('the poll to reconnect', () => api.model.session.state.kind === 'signedIn', pollWithin());
      await api.settled();
      assert.doesNotMatch(String(serverRow()?.options.description), /unreachable/, 'the Access view follows');
      for (const view of Object.values(api.treeViews)) assert.equal(view.message, undefined);
    } finally {
      await back.close();
    }
  });
});
