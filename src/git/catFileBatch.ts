/**
 * Parses `git cat-file --batch` output for `count` requests, in order: each answer is
 * `<sha> <type> <size>\n<bytes>\n`, or `<request> missing\n` (also `ambiguous`). Only
 * objects of `type` count (blobs: files); a tree or a missing path is undefined.
 */
export function parseCatFileBatch(output: Buffer, count: number, type = 'blob'): (Buffer | undefined)[] {
  return parseCatFileBatchObjects(output, count).map((o) => (o?.type === type ? o.bytes : undefined));
}

/** The same answers with each object's id and type; undefined for a missing request. */
export function parseCatFileBatchObjects(
  output: Buffer,
  count: number,
): ({ id: string; type: string; bytes: Buffer } | undefined)[] {
  const results: ({ id: string; type: string; bytes: Buffer } | undefined)[] = [];
  let at = 0;
  while (results.length < count) {
    const eol = output.indexOf(0x0a, at);
    if (eol < 0) throw new Error(`git cat-file output ended after ${results.length} of ${count} answers`);
    const header = output.toString('utf8', at, eol);
    at = eol + 1;
    const m = /^([0-9a-f]{40,64}) (\w+) (\d+)$/.exec(header);
    if (!m) {
      if (/ (missing|ambiguous)$/.test(header)) {
        results.push(undefined);
        continue;
      }
      throw new Error(`unexpected git cat-file header ${JSON.stringify(header)}`);
    }
    const size = Number(m[3]);
    if (at + size + 1 > output.length) throw new Error('git cat-file output is shorter than the object it announced');
    results.push({ id: m[1], type: m[2], bytes: output.subarray(at, at + size) });
    at += size + 1;
  }
  return results;
}

/**
 * An AnswerReader (gitRunner) for `count` `cat-file` answers as parseCatFileBatchObjects
 * reads them: a header line, and for an object its bytes and a line break.
 */
export function catFileAnswers(count: number): (chunk: Buffer) => number {
  let left = count;
  // A header split between chunks, and how much of an object's bytes (with its line break) is still to come.
  let header: Buffer[] = [];
  let body = 0;
  return (chunk) => {
    let at = 0;
    while (left > 0) {
      if (body > 0) {
        const n = Math.min(body, chunk.length - at);
        at += n;
        body -= n;
        if (body > 0) return -1;
        left--;
        continue;
      }
      const eol = chunk.indexOf(0x0a, at);
      if (eol < 0) {
        header.push(chunk.subarray(at));
        return -1;
      }
      const line =
        header.length === 0
          ? chunk.toString('latin1', at, eol)
          : Buffer.concat([...header, chunk.subarray(at, eol)]).toString('latin1');
      header = [];
      at = eol + 1;
      const size = /^[0-9a-f]{40,64} \w+ (\d+)$/.exec(line)?.[1];
      if (size === undefined) left--;
      else body = Number(size) + 1;
    }
    return at;
  };
}
