import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

/** `npm run demo` as a newcomer runs it: it comes up, everything answers, Ctrl-C stops all of it. */
describe('npm run demo', function () {
  this.timeout(240_000);

  it('starts the server and VS Code with the sample repository, and Ctrl-C stops both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'promptops-demo-'));
    // Its own process group, so the signal reaches it the way a terminal's Ctrl-C does. As
    // `npm run demo` runs it: one node process with tsx as a loader (tsx's CLI would relay the
    // signal and SIGKILL the demo, leaving its children behind, if it did not answer in 60 ms).
    const child = spawn(process.execPath, ['--import', 'tsx', 'demo/runDemo.ts'], {
      cwd: ROOT,
      detached: true,
      env: {
        ...process.env,
        PROMPTOPS_DEMO_DIR: dir,
        // Ports each process binds itself and prints: none is probed here and taken in between.
        PROMPTOPS_PORT: '0',
        PROMPTOPS_DEMO_VSCODE_PORT: '0',
      },
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    try {
      for (let i = 0; i < 2000 && !out.includes('Ctrl-C stops everything'); i++) {
        if (child.exitCode !== null) assert.fail(`the demo exited early:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(out, /PromptOps demo is running/, out);
      const vscodeUrl = /VS Code: +(\S+)/.exec(out)![1];
      const vscodePort = Number(/^http:\/\/127\.0\.0\.1:(\d+)\/\?folder=/.exec(vscodeUrl)?.[1]);
      assert.ok(vscodePort > 0, vscodeUrl);
      const serverPort = Number(/Server: +http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]);
      assert.ok(serverPort > 0, out);
      assert.match(out, /erin +erin-demo-pass/);
      assert.match(out, /admin +admin +admin:/, 'a fresh server still has admin/admin, and the demo says so');

      // The sample users can sign in; the access file the repo holds is the one the server enforces.
      const login = await fetch(`http://127.0.0.1:${serverPort}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'erin', password: 'erin-demo-pass' }),
      });
      assert.equal(login.status, 200);
      const { token } = (await login.json()) as { token: string };
      const policy = (await (
        await fetch(`http://127.0.0.1:${serverPort}/api/policy`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as { content: string };
      assert.match(policy.content, new RegExp(`server: http://127\\.0\\.0\\.1:${serverPort}`));
      // VS Code answers, and the repository is a git repository with the sample prompts committed.
      assert.equal((await fetch(`http://127.0.0.1:${vscodePort}/healthz`)).status, 200);
      const files = execFileSync('git', ['ls-files'], { cwd: join(dir, 'repo'), encoding: 'utf8' })
        .trim()
        .split('\n');
      assert.ok(
        files.includes('.promptops/access.yaml') && files.includes('prompts/support/refund-policy.prompt'),
        files.join(' '),
      );

      process.kill(-child.pid!, 'SIGINT');
      assert.equal(await exited, 0, out);
      assert.match(out, /stopped\. Your sample repository stays/);
      for (const port of [serverPort, vscodePort]) {
        const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
          () => true,
          () => false,
        );
        assert.equal(answered, false, `nothing answers on ${port} after Ctrl-C`);
      }
    } finally {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
