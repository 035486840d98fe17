import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const ROOT = resolve(__dirname, '../..');
/**
 * Inside this checkout (out/ is ignored), so the bundle resolves its external native modules
 * from the project's node_modules; not under node_modules itself, which checkouts may share
 * (a symlink), where another checkout's run would overwrite the bundle under test.
 */
const CLI_BUNDLE = join(ROOT, 'out/server-test/cli.js');

let built: Promise<string> | undefined;

/**
 * Bundles `src/cli/cli.ts` exactly as esbuild.mjs does for `dist/cli.js` (same entry,
 * externals and define), into a private path, so the test runs the current source
 * without racing other builds of dist/.
 */
export function buildCli(): Promise<string> {
  built ??= (async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    await build({
      entryPoints: [join(ROOT, 'src/cli/cli.ts')],
      outfile: CLI_BUNDLE,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      logLevel: 'error',
      define: { PROMPTOPS_VERSION: JSON.stringify(version) },
      external: ['better-sqlite3', 'pg', 'pg-native', '@node-rs/argon2'],
    });
    return CLI_BUNDLE;
  })();
  return built;
}

export interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything the process wrote to stderr so far (the banner). */
  stderr(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node <cli> serve …` and waits for its "listening on <url>" banner. The CLI is
 * the test bundle unless `cli` names another (the benchmark uses dist/cli.js). Logs go
 * to a drained pipe.
 */
export async function spawnServe(
  args: string[],
  env: Record<string, string> = {},
  cli?: string,
): Promise<ServeProcess> {
  const cliPath = cli ?? (await buildCli());
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', ...args], {
    env: { ...process.env, PROMPTOPS_LOG_LEVEL: 'warn', ...env },
    stdio: 'pipe',
  });
  let stderr = '';
  child.stdout.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    child.once('exit', (code, signal) => res({ code, signal })),
  );
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`serve did not start in 15 s:\n${stderr}`)), 15000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        res(match[1]);
      }
    });
    void exited.then(({ code }) => {
      clearTimeout(timer);
      rej(new Error(`serve exited with ${code} before listening:\n${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr, exited };
}
