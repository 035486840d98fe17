import * as assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { formatForPath } from '../../../src/core/prompts';
import {
  COLLAPSE_MIN_PROMPTS,
  PROMPT_EXTENSIONS,
  readonlyPatterns,
  readonlyPatternsInSteps,
} from '../../../src/extension/enforcement/readonlyPatterns';

const ROOT = '/repo';
const many = (dir: string, n: number, ext = 'prompt') => Array.from({ length: n }, (_, i) => `${dir}/p${i}.${ext}`);

describe('readonlyPatterns (files.readonlyInclude keys)', () => {
  it('knows every prompt extension the index reads', () => {
    for (const ext of PROMPT_EXTENSIONS) assert.ok(formatForPath(`x/a.${ext}`), ext);
  });

  it('keeps exact, escaped paths for a few locked files', () => {
    const prompts = ['a/x.prompt', 'a/y[1].prompt', 'b/z.prompty'];
    assert.deepEqual(readonlyPatterns(ROOT, prompts, new Set(['a/y[1].prompt', '.promptops/access.yaml'])), [
      '/repo/.promptops/access.yaml',
      '/repo/a/y[[]1[]].prompt',
    ]);
  });

  it('collapses a folder whose every prompt is locked into one pattern, and leaves mixed folders exact', () => {
    const prod = many('prompts/support/prod', COLLAPSE_MIN_PROMPTS + 2);
    const dev = many('prompts/support/dev', COLLAPSE_MIN_PROMPTS);
    const locked = new Set([...prod, dev[0], '.promptops/access.yaml']);
    const keys = readonlyPatterns(ROOT, [...prod, ...dev], locked);
    assert.deepEqual(keys, [
      '/repo/.promptops/access.yaml',
      '/repo/prompts/support/dev/p0.prompt',
      '/repo/prompts/support/prod/**/*.{prompt,prompt.yml,prompt.yaml,prompty,prompt.md}',
    ]);
    const prodPattern = picomatch(keys[2], { dot: true });
    assert.ok(prod.every((p) => prodPattern(`${ROOT}/${p}`)));
    assert.ok(!prodPattern(`${ROOT}/prompts/support/prod/README.md`), 'other files in the folder stay writable');
    assert.ok(!prodPattern(`${ROOT}/${dev[1]}`));
  });

  it('picks the topmost fully locked folder: everything locked is one key per repository', () => {
    const prompts = [...many('prompts/a', 20), ...many('prompts/b', 20, 'prompt.yml')];
    const keys = readonlyPatterns(ROOT, prompts, new Set(prompts));
    assert.deepEqual(keys, ['/repo/**/*.{prompt,prompt.yml,prompt.yaml,prompty,prompt.md}']);
  });

  it('pauses along the way for 10,000 prompts (the extension host gets turns) and gives the same keys', () => {
    const prompts = Array.from({ length: 20 }, (_, w) => many(`ws${w}`, 500)).flat();
    const locked = new Set([
      ...prompts.filter((p) => !p.startsWith('ws3/') || p.endsWith('p7.prompt')),
      '.promptops/a',
    ]);
    const steps = readonlyPatternsInSteps(ROOT, prompts, locked);
    let pauses = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) pauses++;
    assert.ok(pauses >= 20, `${pauses} pauses`);
    assert.deepEqual(next.value, readonlyPatterns(ROOT, prompts, locked));
    assert.ok(next.value.includes('/repo/ws3/p7.prompt'));
    assert.ok(next.value.includes('/repo/ws0/**/*.{prompt,prompt.yml,prompt.yaml,prompty,prompt.md}'));
    assert.equal(next.value.length, 19 + 2, '19 folder patterns, ws3/p7.prompt, .promptops/a');
  });
});
