/**
 * Runs inside the real extension host for `npm run bench:activation` (as the
 * `extensionTestsPath` module): activates an empty extension and ours, in that order,
 * timing each `activate()` (module load + activate, what VS Code counts as activation),
 * then how long ours takes to be ready (index of every prompt + enforcement written) and to
 * settle (the git state read after ready, the hook check: `settled()`), and the longest the
 * host's event loop was blocked from activation to settled. Prints one `@@bench {json}` line.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as vscode from 'vscode';
import type { PromptOpsExtensionApi } from '../../../src/extension/extensionApi';

export const BENCH_LINE_PREFIX = '@@bench ';

async function timeActivation(
  id: string,
): Promise<{ ms: number; cpuMs: number; startUs: number; endUs: number; api: unknown }> {
  const ext = vscode.extensions.getExtension(id);
  if (!ext) {
    const loaded = vscode.extensions.all
      .filter((e) => !(e.packageJSON as { isBuiltin?: boolean }).isBuiltin && !e.id.startsWith('vscode.'))
      .map((e) => e.id);
    throw new Error(`${id} is not loaded (development and user extensions: ${loaded.join(', ') || 'none'})`);
  }
  if (ext.isActive) throw new Error(`${id} was already active: the measurement would be empty`);
  const startUs = Number(process.hrtime.bigint() / 1000n);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const api: unknown = await ext.activate();
  const cpu = process.cpuUsage(cpuBefore);
  const ms = performance.now() - started;
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, startUs, endUs: Number(process.hrtime.bigint() / 1000n), api };
}

/** With BENCH_CPU_PROFILE=<file>, the host's CPU profile from our activation to ready (open it in DevTools). */
async function startProfile(): Promise<(() => Promise<void>) | undefined> {
  const file = process.env.BENCH_CPU_PROFILE;
  if (!file) return undefined;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

export async function run(): Promise<void> {
  const stopProfile = await startProfile();
  // Each settings write makes VS Code load its JSON and TypeScript support in this host
  // (hundreds of ms of its thread): a start whose permissions did not change writes none.
  let settingsWrites = 0;
  const writes = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('files.readonlyInclude')) settingsWrites++;
  });
  const empty = await timeActivation('promptops-bench.empty-extension');
  const ours = await timeActivation('promptops.promptops');
  // After activate() returns: the longest the host's event loop is blocked while the index
  // is built and enforcement written (the target is ≤ 50 ms).
  // On a shared 2-core machine the host is often simply not scheduled (the workbench's
  // renderer and code-server take turns): a wall-clock gap then is no block of ours. The CPU
  // time the host used during the gap bounds how much of it was its own work.
  let maxBlockMs = 0;
  let maxBlockCpuMs = 0;
  /** When the longest block (CPU) ended, on the monotonic clock the CPU profile's timestamps use (µs). */
  let maxBlockEndUs = 0;
  /** The longest blocks (host CPU), to look up in BENCH_CPU_PROFILE: [cpu ms, wall ms, end µs]. */
  const blocks: [number, number, number][] = [];
  let last = performance.now();
  let lastCpu = process.cpuUsage();
  const sampler = setInterval(() => {
    const now = performance.now();
    // One cpuUsage call per tick: the sampler's own cost runs on the thread it measures.
    const cpuNow = process.cpuUsage();
    const cpu = { user: cpuNow.user - lastCpu.user, system: cpuNow.system - lastCpu.system };
    const gap = now - last - 5;
    maxBlockMs = Math.max(maxBlockMs, gap);
    const cpuGap = Math.min(gap, (cpu.user + cpu.system) / 1000);
    if (cpuGap > maxBlockCpuMs) {
      maxBlockCpuMs = cpuGap;
      maxBlockEndUs = Number(process.hrtime.bigint() / 1000n);
    }
    if (cpuGap > 20) blocks.push([cpuGap, gap, Number(process.hrtime.bigint() / 1000n)]);
    last = now;
    lastCpu = cpuNow;
  }, 5);
  const api = ours.api as PromptOpsExtensionApi;
  const readyStarted = performance.now();
  let indexedMs = 0;
  const indexWatch = setInterval(() => {
    if (api.model.index && !indexedMs) indexedMs = ours.ms + performance.now() - readyStarted;
  }, 10);
  await api.ready();
  clearInterval(indexWatch);
  const readyMs = ours.ms + performance.now() - readyStarted;
  // What activation starts after ready (the git state, the hook check) still runs on the
  // host's thread while the user works: the blocks count until it has settled too.
  await api.settled();
  const settledMs = ours.ms + performance.now() - readyStarted;
  clearInterval(sampler);
  writes.dispose();
  await stopProfile?.();
  const result = {
    emptyMs: empty.ms,
    oursMs: ours.ms,
    emptyCpuMs: empty.cpuMs,
    oursCpuMs: ours.cpuMs,
    oursStartUs: ours.startUs,
    oursEndUs: ours.endUs,
    readyMs,
    settledMs,
    indexedMs,
    maxBlockMs,
    maxBlockCpuMs,
    maxBlockEndUs,
    blocks: blocks.sort((a, b) => b[0] - a[0]).slice(0, 12),
    prompts: api.model.index?.size ?? 0,
    locked: api.enforcement.lockedPaths().length,
    settingsWrites,
    jsonSupportActive: vscode.extensions.getExtension('vscode.json-language-features')?.isActive ?? false,
  };
  // Our read-only entries stay in the user settings, as they do for a user: with BENCH_WARM
  // the next run is a second start.
  console.log(`${BENCH_LINE_PREFIX}${JSON.stringify(result)}`);
}
