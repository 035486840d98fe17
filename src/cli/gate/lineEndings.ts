import type { LineEndingSettings } from '../../git/gitRepository';

/** A setting that does not fail verify but will break something later. */
export interface VerifyWarning {
  /** The setting, as a person would look it up: `core.autocrlf=true`, `text=auto`, `eol=crlf`. */
  setting: string;
  /** The published prompts it applies to. */
  paths: string[];
  reason: string;
}

const FIX =
  'run `promptops init` (it writes .gitattributes with `-text` for prompt files) and commit .gitattributes, so git keeps their bytes exactly';

/** Whether git reads a `core.autocrlf` value as converting (a true boolean, or `input`). */
function autocrlfConverts(value: string | undefined): boolean {
  return value !== undefined && ['true', 'yes', 'on', '1', 'input'].includes(value.toLowerCase());
}

/**
 * The settings under which git would rewrite published prompts' line endings, so the
 * bytes a checkout holds no longer hash to the lock's sha256 (the loader's HASH_MISMATCH).
 * A `-text` attribute keeps a file's bytes whatever else is set; `text` (or `text=auto`),
 * or an `eol` without `-text`, converts; otherwise `core.autocrlf` true or input does.
 * One warning per setting, naming the prompts it applies to.
 */
export function lineEndingWarnings(settings: LineEndingSettings): VerifyWarning[] {
  const bySetting = new Map<string, string[]>();
  const add = (setting: string, path: string) => {
    const paths = bySetting.get(setting);
    if (paths) paths.push(path);
    else bySetting.set(setting, [path]);
  };
  for (const { path, values } of settings.attributes) {
    const text = values.text ?? 'unspecified';
    const eol = values.eol ?? 'unspecified';
    if (text === 'unset') continue;
    if (text !== 'unspecified') add(text === 'set' ? 'text' : `text=${text}`, path);
    else if (eol !== 'unspecified' && eol !== 'unset') add(eol === 'set' ? 'eol' : `eol=${eol}`, path);
    else if (autocrlfConverts(settings.autocrlf)) add(`core.autocrlf=${settings.autocrlf}`, path);
  }
  return [...bySetting].map(([setting, paths]) => {
    const config = setting.startsWith('core.');
    const when = settings.autocrlf?.toLowerCase() === 'input' && config ? 'when they are committed' : 'on checkout';
    const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, and ${paths.length - 3} more` : '');
    return {
      setting,
      paths,
      reason:
        `${config ? 'git config' : 'the git attribute'} ${setting} makes git rewrite the line endings of ${paths.length} published ` +
        `prompt${paths.length === 1 ? '' : 's'} ${when} (${shown}): their bytes then no longer match the sha256 the lock ` +
        `published, and loading them fails (HASH_MISMATCH). Fix: ${FIX}${config ? ` (or \`git config core.autocrlf false\`)` : `; a \`-text\` line for those files after the one that sets ${setting} overrides it`}.`,
    };
  });
}
