// `npm run lint`'s import check: no import cycles, and each layer of src/ imports only the
// layers below it (DESIGN.md: core at the bottom, no arrow back up; the front ends are thin
// shells). One madge graph of resolved paths serves both checks, with .madgerc's options
// (type-only imports skipped: they are erased, so they couple nothing at run time).
import { readFileSync } from 'node:fs';
import madge from 'madge';

/** What each top-level folder of src/ may import besides itself. */
const MAY_IMPORT = {
  core: [],
  shared: ['core'],
  runtime: ['core'],
  git: ['core'],
  client: ['core', 'shared'],
  workflows: ['core', 'shared', 'git', 'client'],
  webview: ['shared'],
  server: ['core', 'shared', 'workflows', 'git'],
  extension: ['core', 'shared', 'workflows', 'git', 'client'],
  cli: ['core', 'shared', 'workflows', 'git', 'client', 'server', 'runtime'],
};

const layerOf = (path) => (path.startsWith('../') ? undefined : path.split('/')[0]);

const options = JSON.parse(readFileSync('.madgerc', 'utf8'));
const graph = await madge('src', { ...options, fileExtensions: ['ts', 'tsx'], tsConfig: 'tsconfig.json' });
const problems = [];

for (const cycle of graph.circular()) problems.push(`import cycle: ${[...cycle, cycle[0]].join(' -> ')}`);

for (const [file, imports] of Object.entries(graph.obj())) {
  const from = layerOf(file);
  if (from === undefined) continue;
  const allowed = MAY_IMPORT[from];
  if (allowed === undefined) {
    problems.push(`src/${from}/ is not a known layer: add it to MAY_IMPORT in scripts/checkImports.mjs`);
    continue;
  }
  for (const target of imports) {
    const to = layerOf(target);
    if (to === undefined || to === from || allowed.includes(to)) continue;
    problems.push(`src/${file} imports src/${target}: ${from} may import only ${allowed.join(', ') || 'itself'}`);
  }
}

if (problems.length > 0) {
  for (const p of [...new Set(problems)]) console.error(`✖ ${p}`);
  process.exit(1);
}
console.log(
  `✔ No import cycle, and every layer imports only those below it (${Object.keys(graph.obj()).length} files).`,
);
