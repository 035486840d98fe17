import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../../support/cli';

describe('the package as an application imports it', () => {
  before(function () {
    this.timeout(60_000);
    ensureBuilt();
    if (!existsSync(join(ROOT, 'dist/types/runtime/index.d.ts')))
      execFileSync('npx', ['tsc', '-p', 'tsconfig.runtime.json'], { cwd: ROOT });
  });

  it("resolves require('promptops') and import 'promptops' to the runtime loader, with types", () => {
    const app = mkdtempSync(join(tmpdir(), 'promptops-app-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(ROOT, join(app, 'node_modules/promptops'), 'dir');
    writeFileSync(
      join(app, 'cjs.js'),
      "const p = require('promptops'); console.log(typeof p.loadPublished, typeof p.PublishedPromptError);",
    );
    writeFileSync(
      join(app, 'esm.mjs'),
      "import { loadPublished } from 'promptops'; console.log(typeof loadPublished);",
    );
    assert.equal(
      execFileSync(process.execPath, ['cjs.js'], { cwd: app, encoding: 'utf8' }).trim(),
      'function function',
    );
    assert.equal(execFileSync(process.execPath, ['esm.mjs'], { cwd: app, encoding: 'utf8' }).trim(), 'function');
    const pkg = JSON.parse(
      execFileSync(process.execPath, ['-p', "JSON.stringify(require('promptops/package.json').exports['.'])"], {
        cwd: app,
        encoding: 'utf8',
      }),
    ) as { types: string };
    assert.ok(existsSync(join(ROOT, pkg.types)), `${pkg.types} exists`);
  });
});
