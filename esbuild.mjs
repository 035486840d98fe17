// One build, one context per target: the extension (vscode external), the CLI/server
// for node, and the review panel for the browser. Type-checking is `npm run typecheck`.
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const watch = process.argv.includes('--watch');
const production = !watch && process.env.NODE_ENV !== 'development';
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  define: { PROMPTOPS_VERSION: JSON.stringify(version) },
  legalComments: 'none',
};

// Modules a lazy bundle takes from dist/extension.js instead of compiling its own copy (their
// classes are checked with `instanceof` across bundles): source path -> the name
// src/extension/sharedModules.ts exports it under.
const SHARED_MODULES = {
  'src/workflows/workingTree.ts': 'workingTree',
  'src/client/promptOpsApiError.ts': 'promptOpsApiError',
  'src/workflows/chatModel.ts': 'chatModel',
};
const fromExtensionBundle = {
  name: 'from-extension-bundle',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.namespace === 'extension-bundle') return { path: './extension.js', external: true };
      if (args.pluginData === 'resolving' || !args.path.startsWith('.')) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      const name = SHARED_MODULES[relative(process.cwd(), resolved.path).split('\\').join('/')];
      return name ? { path: name, namespace: 'extension-bundle' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'extension-bundle' }, (args) => ({
      // Required when first used, from beside this bundle: the extension bundle is loaded by then.
      contents:
        `const shared = require('./extension.js').sharedModules;\n` +
        `if (!shared || !shared.${args.path}) throw new Error('dist/extension.js does not share ${args.path}');\n` +
        `module.exports = shared.${args.path};\n`,
      loader: 'js',
    }));
  },
};

// `import * as vscode from 'vscode'` in each of the extension's ~50 modules became one
// `__toESM(require("vscode"))` per module, each copying the whole API object as getters: ~40 ms
// of activation under load and garbage after it (bench:activation's CPU profile). The modules
// import one shared ES module instead, which re-exports the API once.
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [vscodeOnce],
  },
  {
    ...common,
    entryPoints: ['src/cli/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    // Native modules and drivers are loaded from node_modules at run time.
    external: ['better-sqlite3', 'pg', 'pg-native', '@node-rs/argon2'],
  },
  {
    // The extension's heavy parts (prompt index, git, release lock, workflows): loaded on first
    // use (src/extension/lazyModules.ts), so activation compiles only dist/extension.js.
    ...common,
    entryPoints: ['src/extension/lazyBundle.ts'],
    outfile: 'dist/lazy.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [fromExtensionBundle],
  },
  {
    // "Run Prompt" and "Evaluate Prompt" in the extension: loaded on first use, so activation does not compile them.
    ...common,
    entryPoints: ['src/extension/run/runBundle.ts'],
    outfile: 'dist/run.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
    plugins: [vscodeOnce, fromExtensionBundle],
  },
  {
    // The runtime loader applications import (`require('promptops')`): no vscode, no server.
    ...common,
    entryPoints: ['src/runtime/index.ts'],
    outfile: 'dist/runtime.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// `--vscode-tests`: also the mocha suite that runs inside the real extension host
// (test/vscode/README in the README's Tests section). mocha stays external: the host
// loads it from node_modules, as its own `require` would.
if (process.argv.includes('--vscode-tests')) {
  targets.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: ['test/vscode/suite/index.ts'],
    outfile: 'out/test/vscode/suite/index.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
  targets.push({
    ...common,
    minify: false,
    sourcemap: false,
    entryPoints: ['test/vscode/bench/activationProbe.ts'],
    outfile: 'out/test/vscode/bench/activationProbe.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode'],
  });
}

if (watch) {
  for (const t of targets) await (await esbuild.context(t)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(targets.map((t) => esbuild.build(t)));
}
