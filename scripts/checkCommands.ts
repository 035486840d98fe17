/**
 * Static checks of package.json's `contributes` against the code (run by the unit suite,
 * test/unit/extension/manifest.test.ts, and by hand: `npx tsx scripts/checkCommands.ts`):
 * every declared command is in COMMANDS and the reverse, every command has the PromptOps
 * category and a `promptops.verbNoun` id, menus name only declared commands, and menu
 * groups are ordered (`name@n`). The VS Code suite checks the live registrations too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../src/extension/commands/commandIds';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; group?: string; when?: string }[]>;
    views: Record<string, { id: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
  };
}

export function manifestProblems(manifest: Manifest): string[] {
  const problems: string[] = [];
  const declared = new Set(manifest.contributes.commands.map((c) => c.command));
  const registered = new Set<string>(Object.values(COMMANDS));
  for (const id of declared)
    if (!registered.has(id)) problems.push(`${id} is declared in package.json but not in COMMANDS (never registered)`);
  for (const id of registered)
    if (!declared.has(id)) problems.push(`${id} is registered but not declared in package.json`);
  for (const c of manifest.contributes.commands) {
    if (c.category !== 'PromptOps') problems.push(`${c.command} has no "PromptOps" category`);
    if (!/^promptops\.[a-z]+[A-Z][A-Za-z]*$/.test(c.command))
      problems.push(`${c.command} is not named promptops.verbNoun`);
  }
  const views = new Set(
    Object.values(manifest.contributes.views)
      .flat()
      .map((v) => v.id),
  );
  for (const [menu, items] of Object.entries(manifest.contributes.menus)) {
    for (const item of items) {
      if (!declared.has(item.command)) problems.push(`menu ${menu} names undeclared ${item.command}`);
      if (menu !== 'commandPalette' && !(item.group && /^[\w]+@\d+$/.test(item.group)))
        problems.push(`menu ${menu}: ${item.command} has no ordered group (name@n)`);
    }
  }
  for (const w of manifest.contributes.viewsWelcome) {
    if (!views.has(w.view)) problems.push(`viewsWelcome names unknown view ${w.view}`);
    for (const [, id] of w.contents.matchAll(/\(command:([\w.]+)\)/g))
      if (!declared.has(id)) problems.push(`viewsWelcome links undeclared ${id}`);
  }
  if (manifest.activationEvents.includes('*')) problems.push('activationEvents must not contain "*"');
  return problems;
}

export function readManifest(): Manifest {
  return JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as Manifest;
}

if (require.main === module) {
  const problems = manifestProblems(readManifest());
  for (const p of problems) console.error(`package.json: ${p}`);
  console.log(problems.length ? `${problems.length} problem(s)` : 'package.json contributes: ok');
  process.exit(problems.length ? 1 : 0);
}
