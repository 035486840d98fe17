/**
 * `npm run bench:index`: 10,000 prompt files of mixed formats in a temp git repo. The full
 * index (walk honouring .gitignore, parse every file, place it under the access file)
 * against merely walking the same tree and reading the same files' bytes, in one run;
 * then the cost of re-indexing after one file changes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSystem } from '../src/cli/nodeFileSystem';
import { formatForPath } from '../src/core/prompts';
import { PromptIndex } from '../src/core/index/promptIndex';

const N = Number(process.env.BENCH_FILES ?? 10_000);
const WORKSPACES = 20;

const ACCESS = `version: 1
roles:
  publisher: { extends: editor, allow: [review.approve, prompt.publish] }
workspaces:
${Array.from({ length: WORKSPACES }, (_, w) => `  ws${w}:\n    paths: ["prompts/ws${w}/**"]\n    environments:\n      prod: { edit: [publisher], publish: [publisher] }\n`).join('')}protected: ["prompts/shared/**"]
`;

function promptText(i: number): [string, string] {
  const env = ['dev', 'test', 'prod'][i % 3];
  switch (i % 4) {
    case 0:
      return [
        'prompt',
        `---\nmodel: gpt-4o\ntemperature: 0.7\nenv: ${env}\n---\n<system>\n  You are support agent ${i}.\n</system>\n<user>\n  {{question}} about {{product}}\n</user>\n`,
      ];
    case 1:
      return [
        'prompt.yml',
        `name: Prompt ${i}\ndescription: Summarise\nmodel: openai/gpt-4o\nenv: ${env}\nmodelParameters:\n  temperature: 0.2\nmessages:\n  - role: system\n    content: You summarise.\n  - role: user\n    content: "Summarise {{input}}"\ntestData:\n  - input: hello\n    expected: hi\n`,
      ];
    case 2:
      return [
        'prompty',
        `---\nname: Prompty ${i}\nenv: ${env}\nmodel:\n  api: chat\n  configuration:\n    type: openai\n    name: gpt-4o\n  parameters:\n    max_tokens: 300\ninputs:\n  question:\n    type: string\n---\nsystem:\nYou answer questions.\n\nuser:\n{{question}}\n`,
      ];
    default:
      return [
        'prompt.md',
        `---\ndescription: Task ${i}\nmode: agent\nenv: ${env}\n---\nRefactor \${input:method} in \${file} to reduce complexity.\n`,
      ];
  }
}

function makeRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'promptops-bench-index-'));
  mkdirSync(join(dir, '.promptops'));
  writeFileSync(join(dir, '.promptops/access.yaml'), ACCESS);
  writeFileSync(join(dir, '.gitignore'), 'node_modules/\n*.tmp\n');
  for (let w = 0; w < WORKSPACES; w++) mkdirSync(join(dir, `prompts/ws${w}`), { recursive: true });
  for (let i = 0; i < N; i++) {
    const [ext, text] = promptText(i);
    writeFileSync(join(dir, `prompts/ws${i % WORKSPACES}/p${i}.${ext}`), text);
  }
  execFileSync('git', ['init', '-q'], { cwd: dir });
  return dir;
}

/** The baseline: the same walk and the same reads, no parsing or placing. */
async function readOnly(fs: NodeFileSystem, dir = ''): Promise<number> {
  let bytes = 0;
  const entries = await fs.readDir(dir);
  const files = entries
    .filter((e) => e.kind === 'file' && formatForPath(e.name) !== undefined)
    .map((e) => (dir ? `${dir}/${e.name}` : e.name));
  for (const t of await Promise.all(files.map((f) => fs.readFile(f)))) bytes += t?.length ?? 0;
  for (const e of entries)
    if (e.kind === 'dir' && e.name !== '.git') bytes += await readOnly(fs, dir ? `${dir}/${e.name}` : e.name);
  return bytes;
}

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = process.hrtime.bigint();
  const v = await fn();
  return [Number(process.hrtime.bigint() - t) / 1e6, v];
}

async function main() {
  const dir = makeRepo();
  try {
    const fs = new NodeFileSystem(dir);
    // Warm the OS cache and the JIT for both sides, then alternate and keep the best of 3.
    await readOnly(fs);
    await PromptIndex.build(fs);
    let base = Infinity;
    let full = Infinity;
    let index!: PromptIndex;
    for (let round = 0; round < 3; round++) {
      base = Math.min(base, (await time(() => readOnly(fs)))[0]);
      const [t, idx] = await time(() => PromptIndex.build(fs));
      full = Math.min(full, t);
      index = idx;
    }
    if (index.size !== N) throw new Error(`indexed ${index.size} files, expected ${N}`);

    const target = 'prompts/ws3/p3.prompt.md';
    const updates: number[] = [];
    for (let i = 0; i < 50; i++) {
      writeFileSync(join(dir, target), promptText(3)[1].replace('env: prod', `env: ${i % 2 ? 'dev' : 'prod'}`));
      updates.push((await time(() => index.update(target)))[0]);
    }
    updates.sort((a, b) => a - b);
    const median = updates[updates.length >> 1];
    console.log(
      `re-index after one file changes: median ${median.toFixed(3)}ms, max ${updates[updates.length - 1].toFixed(3)}ms`,
    );
    console.log(
      `index: ${N} files in ${full.toFixed(0)}ms, read-only baseline ${base.toFixed(0)}ms, ratio ${(full / base).toFixed(2)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
