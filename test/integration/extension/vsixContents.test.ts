import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const VSCE = join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');

describe('the .vsix (npm run package)', () => {
  before(function () {
    // `npm test` builds first; a bare mocha run before any build has nothing to list.
    if (!existsSync(join(ROOT, 'dist', 'extension.js'))) this.skip();
  });

  it('contains only what runs: the extension (and its lazily loaded bundle), CLI (for the git hook), Run Prompt and webview bundles, media, the schemas, the .prompt grammar, manifest and README', () => {
    const listed = execFileSync(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .sort();
    assert.deepEqual(listed, [
      'README.md',
      'dist/cli.js',
      'dist/extension.js',
      'dist/lazy.js',
      'dist/run.js',
      'dist/webview.js',
      'media/promptops.svg',
      'media/reviewPanel.css',
      'package.json',
      'schemas/access.schema.json',
      'schemas/eval-tests.schema.json',
      'syntaxes/promptops-prompt.language-configuration.json',
      'syntaxes/promptops-prompt.tmLanguage.json',
    ]);
  });

  it('the extension bundles never load the server’s native modules or drivers', () => {
    for (const file of ['extension.js', 'lazy.js', 'run.js']) {
      const bundle = readFileSync(join(ROOT, 'dist', file), 'utf8');
      for (const moduleName of ['better-sqlite3', '@node-rs/argon2', 'pg', 'pg-native', 'fastify']) {
        assert.ok(
          !new RegExp(`require\\(["'\`]${moduleName.replace(/[/.]/g, '\\$&')}["'\`]\\)`).test(bundle),
          `dist/${file} requires ${moduleName}`,
        );
      }
    }
  });

  it('activation compiles no YAML parser: the `yaml` package (prompt, access-file and dataset parsing) is only in dist/lazy.js', () => {
    // One of `yaml`'s own error codes, which minifying keeps: where it is, the parser is.
    const marker = 'MULTIPLE_ANCHORS';
    assert.ok(readFileSync(join(ROOT, 'dist', 'lazy.js'), 'utf8').includes(marker), 'dist/lazy.js has the parser');
    assert.ok(
      !readFileSync(join(ROOT, 'dist', 'extension.js'), 'utf8').includes(marker),
      'dist/extension.js bundles `yaml`: something activation imports reaches a parser; load it through src/extension/lazyModules.ts',
    );
  });

  it('activation compiles no TypeBox, and the bundles that read a release lock take only its builders (src/core/schemaTypes.ts)', () => {
    // `~kind` marks a TypeBox schema in its builders; `ConstructorParameters` is in the whole-library `Type` namespace.
    const bundle = (file: string) => readFileSync(join(ROOT, 'dist', file), 'utf8');
    assert.ok(bundle('lazy.js').includes('~kind'), 'dist/lazy.js reads locks with the record definition');
    assert.ok(!bundle('extension.js').includes('~kind'), 'dist/extension.js bundles TypeBox: load it lazily');
    for (const file of ['lazy.js', 'runtime.js', 'cli.js'])
      assert.ok(!bundle(file).includes('ConstructorParameters'), `dist/${file} bundles all of TypeBox`);
  });
});
