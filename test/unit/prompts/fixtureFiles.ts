import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REAL_PROMPTS_DIR = join(__dirname, '../../fixtures/real-prompts');
export const PROMPT_FIXTURES_DIR = join(__dirname, '../../fixtures/prompts');

/** Fixture text exactly as stored: utf8 decoding keeps a BOM as U+FEFF and every CR. */
export function readFixture(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

/** Every prompt file under `dir` (not the notes and git attributes beside them), relative, sorted. */
export function listFixtures(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== 'SOURCES.md' && !entry.name.startsWith('.'))
        out.push(relative(dir, full).split('\\').join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
