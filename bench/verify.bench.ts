/**
 * `npm run bench:verify`: `promptops verify`'s logic (read the lock and every published
 * file from git, hash, verify each Ed25519 signature) over a repo with 10,000 published
 * entries, against the bare cost of hashing the same files and verifying the same number
 * of signatures, in the same run. Last line:
 * `verify: <N> entries in <T>ms, crypto-only baseline <B>ms, ratio <R>`.
 * Then the same repository with a range of BENCH_COMMITS SSH-signed commits under
 * `requireSignedCommits` is verified with `--base`: it prints the per-commit cost of
 * checking signatures (the commits' raw objects through one `git cat-file --batch`, each
 * SSH signature verified in-process) and the ratio against the baseline.
 * verify checks the lock's signatures on libuv's thread pool (every core), the baseline on one
 * thread: each line also gives this process's CPU time (all its threads) against the baseline.
 * The repo is repacked after committing, as a CI clone is. BENCH_ENTRIES and BENCH_RUNS
 * change the size and the number of timed runs (best of). Each figure is followed by the
 * git processes one verify starts, as a CLI run does (a fresh repository object: nothing cached).
 */
import { execFileSync } from 'node:child_process';
import { verify as cryptoVerify } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyRepository } from '../src/cli/gate/verifyRepository';
import {
  commitSignature,
  contentSha256,
  exportPublicKeyBase64,
  fingerprintOfKeyLine,
  generateSigningKey,
  RELEASE_SIGNATURE_DOMAIN,
  releaseRecordValue,
  serializeReleaseLock,
  serializeUserDirectory,
  signedPayload,
  signUserDirectory,
  signRelease,
  type SignedRelease,
} from '../src/core/release';
import { openGitRepository } from '../src/git';

const N = Number(process.env.BENCH_ENTRIES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const COMMITS = Number(process.env.BENCH_COMMITS ?? 40);
const key = generateSigningKey();

function makeRepo(): { dir: string; paths: string[]; releases: SignedRelease[] } {
  const dir = mkdtempSync(join(tmpdir(), 'promptops-bench-verify-'));
  const paths: string[] = [];
  const releases: SignedRelease[] = [];
  for (let i = 0; i < N; i++) {
    const path = `prompts/ws${i % 20}/p${i}.prompt`;
    const text = `---\nmodel: gpt-4o\nenv: prod\n---\n<system>\n  You are support agent ${i}.\n</system>\n<user>\n  {{question}}\n</user>\n`;
    mkdirSync(join(dir, `prompts/ws${i % 20}`), { recursive: true });
    writeFileSync(join(dir, path), text);
    paths.push(path);
    releases.push(
      signRelease(
        {
          path,
          name: `p${i}`,
          workspace: `ws${i % 20}`,
          env: 'prod',
          sha256: contentSha256(text),
          reviewId: `r-${i}`,
          author: 'alice',
          approvers: ['bob', 'carol'],
          publisher: 'carol',
          publishedAt: new Date(1_740_000_000_000 + i * 1000).toISOString(),
          keyId: key.keyId,
        },
        key.privateKey,
      ),
    );
  }
  mkdirSync(join(dir, '.promptops'));
  writeFileSync(
    join(dir, '.promptops/access.yaml'),
    `version: 1\npublicKey: ${exportPublicKeyBase64(key.publicKey)}\n`,
  );
  writeFileSync(join(dir, '.promptops/published.yaml'), serializeReleaseLock(releases));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.email=bench@example.com', '-c', 'user.name=bench', 'commit', '-qm', 'published');
  // CI runs verify on a clone, whose objects come packed; 10,000 loose objects would make
  // this measure the file system's open() rather than verify.
  git('repack', '-adq');
  return { dir, paths, releases };
}

/** The floor: read each file, hash it, verify one signature per entry. Nothing else. */
function cryptoOnly(dir: string, paths: string[], payloads: Buffer[], signatures: Buffer[]): number {
  let ok = 0;
  for (let i = 0; i < paths.length; i++) {
    contentSha256(readFileSync(join(dir, paths[i])));
    if (cryptoVerify(null, payloads[i], key.publicKey, signatures[i])) ok++;
  }
  return ok;
}

async function main(): Promise<void> {
  const { dir, paths, releases } = makeRepo();
  try {
    const payloads = releases.map((r) => signedPayload(RELEASE_SIGNATURE_DOMAIN, releaseRecordValue(r)));
    const signatures = releases.map((r) => Buffer.from(r.signature, 'base64'));
    const repo = await openGitRepository(dir);
    // Warm up both paths once (JIT, file cache), then take the best of RUNS for each.
    await verifyRepository(repo);
    cryptoOnly(dir, paths, payloads, signatures);
    let best = Infinity;
    let bestCpu = Infinity;
    let baseline = Infinity;
    for (let run = 0; run < RUNS; run++) {
      let t = performance.now();
      const cpu = process.cpuUsage();
      const report = await verifyRepository(repo);
      best = Math.min(best, performance.now() - t);
      bestCpu = Math.min(bestCpu, cpuMs(cpu));
      if (report.problems.length !== 0 || report.entries !== N)
        throw new Error(`verify found ${report.problems.length} problems in ${report.entries} entries`);
      t = performance.now();
      if (cryptoOnly(dir, paths, payloads, signatures) !== N) throw new Error('baseline failed to verify');
      baseline = Math.min(baseline, performance.now() - t);
    }
    console.log(
      `verify: ${N} entries in ${best.toFixed(0)}ms, crypto-only baseline ${baseline.toFixed(0)}ms, ratio ${(best / baseline).toFixed(2)}; ` +
        `this process's CPU ${bestCpu.toFixed(0)}ms, ratio ${(bestCpu / baseline).toFixed(2)}`,
    );
    console.log(`  git processes: ${await gitStarts(dir, (fresh) => verifyRepository(fresh))}`);
    await signedRange(dir, repo, baseline);
  } finally {
    if (!process.env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
    else console.error(dir);
  }
}

/** Adds COMMITS signed commits after a base that requires them; times verify --base and the signature check alone. */
async function signedRange(dir: string, repo: Awaited<ReturnType<typeof openGitRepository>>, baseline: number) {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' }).toString();
  const sshKey = join(dir, '..', `${dir.split('/').pop()}-ssh`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', sshKey]);
  const publicKey = readFileSync(`${sshKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
  const directory = signUserDirectory(
    {
      serial: 1,
      issuedAt: new Date().toISOString(),
      keyId: key.keyId,
      users: [{ username: 'bench', role: 'admin', emails: ['bench@example.com'], signingKeys: [publicKey] }],
    },
    key.privateKey,
  );
  writeFileSync(join(dir, '.promptops/directory.yaml'), serializeUserDirectory(directory));
  writeFileSync(
    join(dir, '.promptops/access.yaml'),
    `version: 1\npublicKey: ${exportPublicKeyBase64(key.publicKey)}\nrequireSignedCommits: true\n`,
  );
  const sign = ['-c', 'gpg.format=ssh', '-c', `user.signingkey=${sshKey}`, '-c', 'user.email=bench@example.com'];
  git('add', '-A');
  git(...sign, '-c', 'user.name=bench', 'commit', '-qm', 'base: signing required');
  const base = git('rev-parse', 'HEAD').trim();
  mkdirSync(join(dir, 'prompts/drafts'), { recursive: true });
  for (let i = 0; i < COMMITS; i++) {
    writeFileSync(
      join(dir, 'prompts/drafts/d.prompt'),
      `---\nmodel: gpt-4o\n---\n<system>\n  Draft ${i}.\n</system>\n`,
    );
    git('add', '-A');
    git(...sign, '-c', 'user.name=bench', 'commit', '-S', '-qm', `draft ${i}`);
  }
  const shas = git('rev-list', `${base}..HEAD`).trim().split('\n');
  const registered = new Set([fingerprintOfKeyLine(publicKey)!]);
  await verifyRepository(repo, { base });
  let best = Infinity;
  let bestCpu = Infinity;
  let sigs = Infinity;
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now();
    const cpu = process.cpuUsage();
    const report = await verifyRepository(repo, { base });
    best = Math.min(best, performance.now() - t);
    bestCpu = Math.min(bestCpu, cpuMs(cpu));
    if (report.problems.length !== 0 || report.commits !== COMMITS)
      throw new Error(
        `verify --base found ${JSON.stringify(report.problems.slice(0, 3))} in ${report.commits} commits`,
      );
    t = performance.now();
    const objects = await repo.commitObjects(shas);
    const checked = shas.map((sha) => commitSignature(objects.get(sha)!, registered));
    sigs = Math.min(sigs, performance.now() - t);
    if (checked.some((c) => c.status !== 'good')) throw new Error('a bench commit did not verify');
  }
  console.log(
    `verify --base: ${N} entries + ${COMMITS} signed commits in ${best.toFixed(0)}ms; signatures ${sigs.toFixed(0)}ms ` +
      `(${(sigs / COMMITS).toFixed(1)}ms per commit, ${((100 * sigs) / best).toFixed(0)}% of verify); ` +
      `crypto-only baseline ${baseline.toFixed(0)}ms, ratio ${(best / baseline).toFixed(2)}, ` +
      `ratio without the signature check ${((best - sigs) / baseline).toFixed(2)}; ` +
      `this process's CPU ${bestCpu.toFixed(0)}ms, ratio ${(bestCpu / baseline).toFixed(2)}`,
  );
  console.log(`  git processes: ${await gitStarts(dir, (fresh) => verifyRepository(fresh, { base }))}`);
  rmSync(sshKey, { force: true });
  rmSync(`${sshKey}.pub`, { force: true });
}

/** CPU time of this process (every thread: the lock's signatures run on libuv's pool) since `start`; git's own is not counted. */
function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/**
 * The git processes `run` starts, counted by a `git` first on PATH that notes each start and
 * runs the real one (only here: it costs a shell per start); e.g. `5 (rev-parse, log, cat-file×2, …)`.
 */
async function gitStarts(
  dir: string,
  run: (repo: Awaited<ReturnType<typeof openGitRepository>>) => Promise<unknown>,
): Promise<string> {
  const fresh = await openGitRepository(dir);
  const shim = mkdtempSync(join(tmpdir(), 'promptops-bench-git-'));
  const log = join(shim, 'starts');
  const real = execFileSync('sh', ['-c', 'command -v git']).toString().trim();
  writeFileSync(join(shim, 'git'), `#!/bin/sh\necho "$1" >> '${log}'\nexec '${real}' "$@"\n`, { mode: 0o755 });
  const path = process.env.PATH;
  process.env.PATH = `${shim}:${path}`;
  try {
    await run(fresh);
  } finally {
    process.env.PATH = path;
  }
  const starts = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  rmSync(shim, { recursive: true, force: true });
  const counts = new Map<string, number>();
  for (const s of starts) counts.set(s, (counts.get(s) ?? 0) + 1);
  const each = [...counts].map(([cmd, n]) => (n > 1 ? `${cmd}×${n}` : cmd)).join(', ');
  return `${starts.length} (${each})`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
