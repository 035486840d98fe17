import assert from 'node:assert/strict';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import fc from 'fast-check';
import {
  parseReleaseLock,
  serializeReleaseLock,
  sortReleases,
  upsertRelease,
  verifyReleaseSignature,
} from '../../../src/core/release';
import { readCanonicalLock } from '../../../src/core/release/canonicalLockReader';
import { releaseFor, testKey } from '../../support/releaseFixtures';

const a = releaseFor('prompts/a.prompt', 'A', { name: 'a', approvers: ['bob', 'dave'] });
const aDev = releaseFor('prompts/a.prompt', 'A', { name: 'a', env: 'dev', reviewId: '0042' });
const b = releaseFor('prompts/b.prompt.yml', 'B', { name: 'yes', workspace: 'support' });

function errors(text: string): string[] {
  return parseReleaseLock(text)
    .diagnostics.filter((d) => d.severity === 'error')
    .map(formatDiagnostic);
}

describe('release lock (.promptops/published.yaml)', () => {
  it('keeps an evaluation digest where a record has one, signed, beside records without (which verify as before)', () => {
    const evaluated = releaseFor('prompts/c.prompt', 'C', { name: 'c', evaluation: 'e'.repeat(64) });
    const text = serializeReleaseLock([evaluated, a]);
    assert.match(text, /keyId: .+\n {4}evaluation: e{64}\n {4}signature: /);
    assert.equal(text.match(/evaluation:/g)?.length, 1);
    const fast = readCanonicalLock(text);
    const slow = parseReleaseLock(text.replace('version: 1', 'version:  1'));
    for (const entries of [fast!.map((e) => e.release), slow.entries!.map((e) => e.release)]) {
      assert.deepEqual(entries, [a, evaluated]);
      for (const r of entries) assert.ok(verifyReleaseSignature(r, r.signature, testKey().publicKey));
    }
    // Taking the digest out (or changing it) breaks the signature.
    const { evaluation: _dropped, ...bare } = evaluated;
    assert.equal(verifyReleaseSignature(bare, evaluated.signature, testKey().publicKey), false);
    assert.deepEqual(errors(text.replace('e'.repeat(64), 'not-a-digest')), [
      '.promptops/published.yaml:28:17 releases[1].evaluation: expected the digest of the evaluation run as 64 lowercase hex digits',
    ]);
  });

  it('round-trips entries, sorted by path then env, with signatures still valid', () => {
    const text = serializeReleaseLock([b, a, aDev]);
    const parsed = parseReleaseLock(text);
    assert.deepEqual(parsed.diagnostics, []);
    assert.deepEqual(
      parsed.entries!.map((e) => e.release),
      [aDev, a, b],
    );
    assert.equal(serializeReleaseLock(parsed.entries!.map((e) => e.release)), text);
    for (const e of parsed.entries!)
      assert.ok(verifyReleaseSignature(e.release, e.release.signature, testKey().publicKey));
    // Strings YAML would read as numbers or booleans stay strings.
    assert.match(text, /reviewId: "0042"/);
    assert.match(text, /name: "yes"/);
  });

  it('takes the fast path only for the exact text serializeReleaseLock writes', () => {
    const text = serializeReleaseLock([b, a, aDev]);
    assert.deepEqual(
      readCanonicalLock(text)!.map((e) => e.release),
      [aDev, a, b],
    );
    assert.deepEqual(readCanonicalLock(serializeReleaseLock([])), []);
    const [first, second] = text.split('  - path: ').slice(1);
    const notCanonical = {
      'entries out of order': text.replace(
        `  - path: ${first}  - path: ${second}`,
        `  - path: ${second}  - path: ${first}`,
      ),
      'a quoted value written plain': text.replace('reviewId: "0042"', 'reviewId: 0042'),
      'a plain value quoted': text.replace('name: a\n', 'name: "a"\n'),
      'a blank line at the end': `${text}\n`,
      'no line break at the end': text.slice(0, -1),
      'another header': text.replace('# Written by', '# Edited by'),
      'releases without entries': text.slice(0, text.indexOf('  - path:')),
      'approvers spaced differently': text.replace('[bob, dave]', '[bob,dave]'),
    };
    for (const [what, variant] of Object.entries(notCanonical)) {
      assert.notEqual(variant, text, what);
      assert.equal(readCanonicalLock(variant), undefined, what);
    }
  });

  it('upsert adds an entry in sorted place and replaces the same path+env, leaving other lines alone', () => {
    const one = upsertRelease(undefined, b);
    const two = upsertRelease(one, a);
    const bLines = serializeReleaseLock([b])
      .split('\n')
      .filter((l) => l.startsWith('  '));
    assert.ok(two.includes(bLines.join('\n')), 'b entry unchanged');
    const republished = releaseFor('prompts/a.prompt', 'A2', { name: 'a', reviewId: 'r-2' });
    const three = upsertRelease(two, republished);
    const entries = parseReleaseLock(three).entries!;
    assert.deepEqual(
      entries.map((e) => [e.release.path, e.release.reviewId]),
      [
        ['prompts/a.prompt', 'r-2'],
        ['prompts/b.prompt.yml', 'r-1'],
      ],
    );
    // Only a's lines differ between two and three.
    const changed = three.split('\n').filter((l, i) => l !== two.split('\n')[i]);
    assert.ok(
      changed.length > 0 && changed.every((l) => /sha256|reviewId|approvers|signature/.test(l)),
      changed.join('\n'),
    );
  });

  it('two publishes of different prompts from the same base merge to the same text in either order', () => {
    const base = upsertRelease(undefined, b);
    assert.equal(upsertRelease(upsertRelease(base, a), aDev), upsertRelease(upsertRelease(base, aDev), a));
  });

  it('reads an empty file as an empty lock', () => {
    assert.deepEqual(parseReleaseLock('').entries, []);
    assert.deepEqual(parseReleaseLock('version: 1\nreleases: []\n').entries, []);
  });

  it('locates malformed entries by file, line, column and field', () => {
    const good = serializeReleaseLock([a]);
    assert.deepEqual(errors(good.replace(/sha256: .*/, 'sha256: abc')), [
      '.promptops/published.yaml:9:13 releases[0].sha256: expected the sha256 of the file as 64 lowercase hex digits',
    ]);
    assert.deepEqual(errors(good.replace(/\n {4}publisher: .*/, '')), [
      '.promptops/published.yaml:5:5 releases[0]: missing field "publisher"',
    ]);
    assert.deepEqual(errors(good.replace(/approvers: .*/, 'approvers: bob')), [
      '.promptops/published.yaml:12:16 releases[0].approvers: "approvers" must be a list of names, not the text "bob"',
    ]);
    assert.deepEqual(errors(good.replace(/path: .*/, 'path: ../etc/passwd')), [
      '.promptops/published.yaml:5:11 releases[0].path: the path must not contain empty, "." or ".." segments',
    ]);
    assert.deepEqual(errors(good.replace('version: 1', 'version: 2')), [
      '.promptops/published.yaml:3:10 version: unsupported version 2; this PromptOps reads version 1',
    ]);
    assert.deepEqual(errors('version: 1\nreleases:\n  - path: [oops\n'), [
      '.promptops/published.yaml:4:1 releases[0].path[0]: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
  });

  it('refuses two entries for the same path and env', () => {
    const text = serializeReleaseLock([a]);
    const doubled = text + text.split('releases:\n')[1];
    assert.deepEqual(errors(doubled), [
      '.promptops/published.yaml:17:11 releases[1].path: a second entry for prompts/a.prompt in prod (the first is releases[0]); keep one entry per path and env',
    ]);
  });

  it('upsert refuses to rewrite a damaged lock', () => {
    assert.throws(() => upsertRelease('releases: {', a), /published\.yaml:1:/);
  });

  it('warns about unknown fields, which are not signed', () => {
    const parsed = parseReleaseLock(
      serializeReleaseLock([a]).replace('    signature:', '    note: hi\n    signature:'),
    );
    assert.equal(parsed.entries?.length, 1);
    assert.match(formatDiagnostic(parsed.diagnostics[0]), /releases\[0\]\.note: warning: unknown field "note"/);
  });
});

describe('release lock: the fast reader agrees with the YAML reading', () => {
  it('for any field values, reading canonical text fast equals reading it as YAML', () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== '' || s.length > 0);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            name,
            reviewId: name,
            author: name,
            approvers: fc.array(name, { maxLength: 3 }),
            env: fc.constantFrom('dev', 'prod', 'yes', '1'),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        (fields) => {
          const releases = fields.map((f, i) => releaseFor(`prompts/p${i}.prompt`, String(i), f));
          const text = serializeReleaseLock(releases);
          assert.ok(readCanonicalLock(text), 'the fast path reads its own output');
          const fast = parseReleaseLock(text);
          // A trailing comment keeps the meaning but is not canonical: that forces the YAML path.
          const slow = parseReleaseLock(`${text}# end\n`);
          assert.deepEqual(slow.diagnostics, []);
          assert.deepEqual(fast, slow);
          assert.deepEqual(
            fast.entries!.map((e) => e.release),
            sortReleases(releases),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
});
