import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

/** By then the first index build has compiled much of what it needs: the cache keeps that too. */
const WRITE_AFTER_MS = 5_000;

/**
 * Requires a CommonJS bundle of ours through V8's code cache kept in `cacheDir` (the
 * extension's global storage): compiling dist/lazy.js (290 KiB) is one synchronous stretch of
 * the extension host's thread at the first index build, 35–65 ms under load, ~10 ms from the
 * cache (bench/RESULTS.md, bench:activation). Only this bundle is affected: node's
 * `module.enableCompileCache()` would switch the cache on for every extension in the host.
 * The cache file is named by a hash of the source and node's version (V8 itself checks only
 * the length); one V8 refuses is rewritten. Without a cache directory, a plain `require`.
 */
export function requireWithCodeCache(
  file: string,
  cacheDir: string | undefined,
  writeAfterMs = WRITE_AFTER_MS,
): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (!cacheDir) return require(file);
  const source = readFileSync(file, 'utf8');
  const name = basename(file);
  const key = createHash('sha256').update(process.version).update(source).digest('hex').slice(0, 16);
  const cacheFile = join(cacheDir, `${name}.${key}.v8cache`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  // The wrapper node puts around a CommonJS module, on the first line: line numbers stay.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  const module = { exports: {} as unknown };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  if (!cachedData || script.cachedDataRejected)
    setTimeout(() => void writeCache(script, cacheDir, name, cacheFile), writeAfterMs).unref();
  return module.exports;
}

async function writeCache(script: Script, cacheDir: string, name: string, cacheFile: string): Promise<void> {
  try {
    await mkdir(cacheDir, { recursive: true });
    // Written whole, then renamed: another window's host may be reading it meanwhile.
    const partial = `${cacheFile}.${process.pid}.tmp`;
    await writeFile(partial, script.createCachedData());
    await rename(partial, cacheFile);
    // Caches of earlier versions of the bundle are never read again.
    for (const old of await readdir(cacheDir))
      if (old.startsWith(`${name}.`) && old.endsWith('.v8cache') && join(cacheDir, old) !== cacheFile)
        await rm(join(cacheDir, old), { force: true });
  } catch {
    // A cache is an optimisation: without one, the next start compiles as before.
  }
}
