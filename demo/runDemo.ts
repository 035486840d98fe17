/**
 * `npm run demo`: the whole story on one machine (see demo/startDemo.ts). Prints
 * the URL and the sample sign-ins; Ctrl-C (SIGINT) or SIGTERM stops everything it started.
 *
 *   PROMPTOPS_DEMO_DIR   state folder (default .promptops-demo)
 *   PROMPTOPS_PORT       server port (default 4700; when taken, or 0, one the system picks)
 *   PROMPTOPS_DEMO_VSCODE_PORT  VS Code port (default 8080; when taken, or 0, one the system picks)
 */
import { DEMO_BASE_TAG, DEMO_USERS, startDemo, type RunningDemo } from './startDemo';

const say = (text: string) => process.stdout.write(`demo: ${text}\n`);

async function main(): Promise<void> {
  // Assigned once, after the signal handlers that read it are installed.
  // eslint-disable-next-line prefer-const
  let demo: RunningDemo | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping VS Code and the server…`);
    void (demo?.stop() ?? Promise.resolve()).then(() => {
      say(`stopped. Your sample repository stays in ${demo?.repo ?? 'the demo folder'}.`);
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  demo = await startDemo({
    stateDir: process.env.PROMPTOPS_DEMO_DIR,
    serverPort: Number(process.env.PROMPTOPS_PORT ?? 4700),
    vscodePort: Number(process.env.PROMPTOPS_DEMO_VSCODE_PORT ?? 8080),
    token: process.env.PROMPTOPS_TOKEN,
    log: say,
  });
  if (stopping) return; // Ctrl-C during start-up: stop() has the handles now

  const width = Math.max(5, ...DEMO_USERS.map((u) => u.username.length));
  process.stdout.write(
    [
      '',
      'PromptOps demo is running.',
      `  VS Code:  ${demo.vscodeUrl}`,
      `  Server:   ${demo.serverUrl}  (static admin token ${demo.token})`,
      '',
      '  Sign in from the PromptOps view (or the command "PromptOps: Sign In") as:',
      `    ${'admin'.padEnd(width)}  ${(demo.adminPassword ?? '(your password)').padEnd(18)}  admin: manages users, applies the access file`,
      ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)}  ${u.password.padEnd(18)}  ${u.story}`),
      '',
      ...(demo.signed
        ? [
            `  Commits in the sample repository are signed with the key of whoever is signed in (${demo.stateDir}/keys;`,
            `  admin's until someone signs in); check them: promptops verify --base ${DEMO_BASE_TAG}`,
            '',
          ]
        : []),
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
