import assert from 'node:assert/strict';
import { parseCatFileBatch, parseCommitLog, parseNulList, parseRawDiffZ } from '../../../src/git';
import { parseRangeLogZ } from '../../../src/git/rangeLog';
import { parseLsFilesStageZ, parseLsTreeZ } from '../../../src/git/treeListing';

describe('git output parsers (captured text)', () => {
  it('reads diff --raw -z with renames, copies, type changes, symlinks and odd file names', () => {
    const h = (from: string, to: string, status: string) => `:${from} ${to} 1234567 89abcde ${status}`;
    const captured = [
      h('100644', '100644', 'M'),
      'prompts/a.prompt',
      h('000000', '100644', 'A'),
      'new file.prompt',
      h('100644', '000000', 'D'),
      'old.prompt',
      h('100644', '100644', 'R087'),
      'prompts/dev/x.prompt',
      'prompts/prod/x.prompt',
      h('100644', '100644', 'C100'),
      'a.txt',
      'b.txt',
      h('100644', '120000', 'T'),
      'link',
      h('100644', '100755', 'M'),
      'tab\there\nnewline.prompt',
      '',
    ].join('\0');
    assert.deepEqual(parseRawDiffZ(captured), [
      { status: 'M', path: 'prompts/a.prompt' },
      { status: 'A', path: 'new file.prompt' },
      { status: 'D', path: 'old.prompt' },
      { status: 'R', path: 'prompts/prod/x.prompt', oldPath: 'prompts/dev/x.prompt' },
      { status: 'A', path: 'b.txt' },
      { status: 'M', path: 'link', symlink: true },
      { status: 'M', path: 'tab\there\nnewline.prompt' },
    ]);
    assert.deepEqual(parseRawDiffZ(''), []);
    assert.throws(() => parseRawDiffZ(`${h('100644', '100644', 'R100')}\0only-one\0`), /ended inside a R entry/);
    assert.throws(() => parseRawDiffZ('M\0a\0'), /unexpected git diff --raw header/);
  });

  it('reads ls-files -z', () => {
    assert.deepEqual(parseNulList('a\0b c\0'), ['a', 'b c']);
  });

  it('reads the commit log format, including root and merge commits', () => {
    const sha = (c: string) => c.repeat(40);
    const captured =
      `${sha('a')}\x1f\x1falice@example.com\x1fAlice\x1finitial\x1e\n` +
      `${sha('b')}\x1f${sha('a')}\x1fbob@example.com\x1fBob B\x1fedit: a \x1f b\x1e\n` +
      `${sha('c')}\x1f${sha('a')} ${sha('b')}\x1fcarol@example.com\x1fCarol\x1fMerge\x1e\n`;
    const commits = parseCommitLog(captured);
    assert.deepEqual(
      commits.map((c) => [c.sha[0], c.parents.length, c.authorEmail]),
      [
        ['a', 0, 'alice@example.com'],
        ['b', 1, 'bob@example.com'],
        ['c', 2, 'carol@example.com'],
      ],
    );
    assert.equal(parseCommitLog('').length, 0);
  });

  it('reads cat-file --batch answers: blobs with any bytes, missing paths and trees', () => {
    const bytes = Buffer.from([0, 10, 255, 10]);
    const captured = Buffer.concat([
      Buffer.from(`${'1'.repeat(40)} blob 4\n`),
      bytes,
      Buffer.from('\nHEAD:nope missing\n'),
      Buffer.from(`${'2'.repeat(40)} tree 0\n\n`),
      Buffer.from(`${'3'.repeat(40)} blob 0\n\n`),
    ]);
    const answers = parseCatFileBatch(captured, 4);
    assert.deepEqual(answers[0], bytes);
    assert.equal(answers[1], undefined);
    assert.equal(answers[2], undefined);
    assert.deepEqual(answers[3], Buffer.alloc(0));
    assert.throws(() => parseCatFileBatch(captured.subarray(0, 50), 1), /shorter than the object/);
  });

  it('reads ls-tree -r -z and ls-files -s -z into blob ids by path', () => {
    const a = 'a'.repeat(40);
    const b = 'b'.repeat(40);
    assert.deepEqual(
      [...parseLsTreeZ(`100644 blob ${a}\tprompts/x y.prompt\x00160000 commit ${b}\tvendor/sub\0`)],
      [['prompts/x y.prompt', a]],
    );
    // Stages 1-3 are the sides of a conflict; only stage 0 is what a commit would take.
    assert.deepEqual(
      [...parseLsFilesStageZ(`100644 ${a} 0\tok.prompt\x00100644 ${b} 2\tconflict.prompt\0`)],
      [['ok.prompt', a]],
    );
  });
});

describe('parseRangeLogZ', () => {
  it('splits git log --raw -z output into commits with one diff per parent git printed, empty ones included', () => {
    const a = '5bf0c77e08966b752037e16754db09e405ff9537';
    const b = 'f30954e9a937a56d190c81f217732e2dc8cc202f';
    const m = '0c5a5d3c9c1e57a3a4c3e0d4d2c1b0a9f8e7d6c5';
    const zero = '0'.repeat(40);
    const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const blob2 = 'a'.repeat(40);
    const out =
      `${a}\0\0a@example.com\0A\0root\0\n:000000 100644 ${zero} ${blob} A\0b\0` +
      `${b}\0${a}\0b@example.com\0B \x1f odd\0${m}\0` +
      `${m}\0${a} ${b}\0m@example.com\0M\0merge\0\n:100644 100644 ${blob} ${blob} R100\0old name\0${a}\0:100644 120000 ${blob} ${blob2} T\0link\0` +
      `${m}\0${a} ${b}\0m@example.com\0M\0merge\0\n:100644 100644 ${blob2} ${blob} M\0link\0`;
    assert.deepEqual(parseRangeLogZ(out), [
      {
        sha: a,
        parents: [],
        authorEmail: 'a@example.com',
        authorName: 'A',
        subject: 'root',
        // Each change keeps the blob ids of the sides that exist (an addition has no old one).
        diffs: [[{ status: 'A', path: 'b', newId: blob }]],
      },
      // A subject that looks like a commit id, and a name with a field separator, stay what they are.
      { sha: b, parents: [a], authorEmail: 'b@example.com', authorName: 'B \x1f odd', subject: m, diffs: [[]] },
      {
        sha: m,
        parents: [a, b],
        authorEmail: 'm@example.com',
        authorName: 'M',
        subject: 'merge',
        diffs: [
          // A path that looks like a commit id is a path: it follows its entry's header.
          [
            { status: 'R', oldPath: 'old name', path: a, oldId: blob, newId: blob },
            { status: 'M', path: 'link', symlink: true, oldId: blob, newId: blob2 },
          ],
          [{ status: 'M', path: 'link', oldId: blob2, newId: blob }],
        ],
      },
    ]);
    assert.deepEqual(parseRangeLogZ(''), []);
    assert.throws(() => parseRangeLogZ(`:100644 100644 ${blob} ${blob} M\0x\0`), /unexpected git log record/);
  });
});
