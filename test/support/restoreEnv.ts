/**
 * Puts environment variables back as they were in `saved`: one that was unset is deleted,
 * since assigning `undefined` to process.env stores the string "undefined".
 */
export function restoreEnv(saved: NodeJS.ProcessEnv, names: readonly string[]): void {
  for (const name of names) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
}
