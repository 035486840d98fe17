/** What a hook prints, and then refuses, when it finds no PromptOps CLI to run. */
export const CLI_MISSING_MESSAGE = [
  'promptops: the git hook cannot find the PromptOps CLI (or a node to run it), so nothing was',
  'checked and git is refused. To fix it:',
  '  in VS Code, run "PromptOps: Install Git Hook" (the hook then runs the CLI the PromptOps extension ships);',
  '  elsewhere, install the PromptOps CLI so that `promptops` is on PATH (from a PromptOps checkout:',
  "  npm run build && npm link), or in this repository's node_modules. Then try again.",
].join('\n');

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Shell lines defining `promptops_cli ARGS…`, shared by every hook: it runs, first that
 * exists, the CLI file the hook was installed with (the extension's own, or the one
 * `promptops hooks install` ran as), the repository's `node_modules/.bin/promptops`, a
 * `promptops` on PATH. With none it says how to install one and fails — never a registry
 * lookup (`npx` would fetch whatever package is called that).
 *
 * `nodePath` may be VS Code's own executable (Electron): ELECTRON_RUN_AS_NODE makes it run
 * as node, so committing from Source Control needs no node on PATH; node ignores it.
 */
export function cliLauncherLines(nodePath: string, cliPath: string | undefined): string[] {
  return [
    `PROMPTOPS_NODE=${quote(nodePath)}`,
    `PROMPTOPS_CLI=${quote(cliPath ?? '')}`,
    'promptops_cli() {',
    '  if [ -n "$PROMPTOPS_CLI" ] && [ -f "$PROMPTOPS_CLI" ]; then',
    '    if [ -x "$PROMPTOPS_NODE" ]; then ELECTRON_RUN_AS_NODE=1 "$PROMPTOPS_NODE" "$PROMPTOPS_CLI" "$@"; return $?; fi',
    '    if command -v node >/dev/null 2>&1; then node "$PROMPTOPS_CLI" "$@"; return $?; fi',
    '  fi',
    '  if [ -x node_modules/.bin/promptops ]; then node_modules/.bin/promptops "$@"; return $?; fi',
    '  if command -v promptops >/dev/null 2>&1; then promptops "$@"; return $?; fi',
    "  cat >&2 <<'PROMPTOPS_CLI_MISSING'",
    CLI_MISSING_MESSAGE,
    'PROMPTOPS_CLI_MISSING',
    '  return 1',
    '}',
  ];
}
