import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireWithCodeCache } from '../../../src/extension/codeCache';

const waitFor = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), 'timed out');
};

describe('requireWithCodeCache (dist/lazy.js through V8 code cache)', () => {
  let dir: string;
  let cache: string;
  let bundle: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'promptops-code-cache-'));
    cache = join(dir, 'storage');
    bundle = join(dir, 'lazy.js');
    writeFileSync(join(dir, 'shared.js'), 'exports.n = 41;\n');
    writeFileSync(
      bundle,
      '"use strict";\nconst shared = require("./shared.js");\nexports.answer = () => shared.n + 1;\nexports.where = __filename;\nexports.line = () => new Error("x").stack.split("\\n")[1];\n',
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cacheFiles = () => {
    try {
      return readdirSync(cache).filter((f) => f.endsWith('.v8cache'));
    } catch {
      return [];
    }
  };

  it('runs the bundle as node would (relative requires, __filename, line numbers) and keeps its compiled code', async () => {
    const first = requireWithCodeCache(bundle, cache, 0) as Record<string, () => unknown>;
    assert.equal(first.answer(), 42);
    assert.equal(first.where, bundle);
    assert.match(String(first.line()), /lazy\.js:5:/);
    await waitFor(() => cacheFiles().length === 1);
    const again = requireWithCodeCache(bundle, cache, 0) as Record<string, () => unknown>;
    assert.equal(again.answer(), 42);
  });

  it('replaces the cache of an earlier build, and ignores a damaged one', async () => {
    requireWithCodeCache(bundle, cache, 0);
    await waitFor(() => cacheFiles().length === 1);
    const [old] = cacheFiles();
    writeFileSync(join(cache, old), 'not V8 code cache');
    // The same source at another path: V8's in-process cache of compiled scripts does not answer for it.
    mkdirSync(join(dir, 'copy'));
    writeFileSync(join(dir, 'copy', 'shared.js'), 'exports.n = 41;\n');
    writeFileSync(join(dir, 'copy', 'lazy.js'), readFileSync(bundle));
    assert.equal((requireWithCodeCache(join(dir, 'copy', 'lazy.js'), cache, 0) as { answer(): number }).answer(), 42);
    await waitFor(() => readFileSync(join(cache, old), 'latin1') !== 'not V8 code cache');
    writeFileSync(bundle, 'exports.answer = () => 7;\n');
    assert.equal((requireWithCodeCache(bundle, cache, 0) as { answer(): number }).answer(), 7);
    await waitFor(() => cacheFiles().length === 1 && cacheFiles()[0] !== old);
  });

  it('is a plain require without a cache directory', () => {
    assert.equal((requireWithCodeCache(bundle, undefined) as { answer(): number }).answer(), 42);
    assert.deepEqual(cacheFiles(), []);
  });
});
