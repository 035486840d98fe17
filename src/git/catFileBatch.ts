/**
 * Parses `git cat-file --batch` output for `count` requests, in order: each answer is
 * `<sha> <type> <size>\n<bytes>\n`, or `<request> missing\n` (also `ambiguous`). Only
 * objects of `type` count (blobs: files); a tree or a missing path is undefined.
 */
export function parseCatFileBatch(output: Buffer, count: number, type = 'blob'): (Buffer | undefined)[] {
  const results: (Buffer | undefined)[] = [];
  let at = 0;
  while (results.length < count) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`git cat-file output ended after ${results.length} of ${count} answers`);
    const header = output.toString('utf8', at, eol);
    at = eol + 1;
    const m = /^[0-9a-f]{40,64} (\w+) (\d+)$/.exec(header);
    if (!m) {
      if (/ (missing|ambiguous)$/.test(header)) {
        results.push(undefined);
        continue;
      }
      throw new Error(`unexpected git cat-file header ${JSON.stringify(header)}`);
    }
    const size = Number(m[2]);
    if (at + size + 1 > output.length) throw new Error('git cat-file output is shorter than the object it announced');
    results.push(m[1] === type ? output.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return results;
}
