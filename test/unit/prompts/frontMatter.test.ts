import assert from 'node:assert/strict';
import { serializeLayout, splitFrontMatter } from '../../../src/core/prompts';

describe('front matter splitting', () => {
  const cases: [string, string, ReturnType<typeof splitFrontMatter>][] = [
    [
      'LF front matter and body',
      '---\na: 1\n---\nbody\n',
      {
        layout: { prefix: '', metadata: { open: '---\n', yaml: 'a: 1\n', close: '---\n' }, body: 'body\n', suffix: '' },
      },
    ],
    [
      'CRLF with a BOM',
      '\uFEFF---\r\na: 1\r\n---\r\nbody',
      {
        layout: {
          prefix: '\uFEFF',
          metadata: { open: '---\r\n', yaml: 'a: 1\r\n', close: '---\r\n' },
          body: 'body',
          suffix: '',
        },
      },
    ],
    [
      'empty front matter',
      '---\n---\nbody',
      { layout: { prefix: '', metadata: { open: '---\n', yaml: '', close: '---\n' }, body: 'body', suffix: '' } },
    ],
    [
      'closing --- at the end of the file',
      '---\na: 1\n---',
      { layout: { prefix: '', metadata: { open: '---\n', yaml: 'a: 1\n', close: '---' }, body: '', suffix: '' } },
    ],
    [
      'delimiters with trailing spaces',
      '--- \na: 1\n---\t\nb',
      { layout: { prefix: '', metadata: { open: '--- \n', yaml: 'a: 1\n', close: '---\t\n' }, body: 'b', suffix: '' } },
    ],
    ['no front matter', '# Title\n---\ntext', { layout: { prefix: '', body: '# Title\n---\ntext', suffix: '' } }],
    ['a file that is only ---', '---', { layout: { prefix: '', body: '---', suffix: '' } }],
    ['---- is not a delimiter', '----\na\n---\n', { layout: { prefix: '', body: '----\na\n---\n', suffix: '' } }],
    ['unclosed', '\uFEFF---\na: 1\n', { layout: { prefix: '\uFEFF', body: '---\na: 1\n', suffix: '' }, unclosedAt: 1 }],
    [
      'a ```prompt fence around the file',
      '```prompt\n---\na: 1\n---\nbody\n```\n',
      {
        layout: {
          prefix: '```prompt\n',
          metadata: { open: '---\n', yaml: 'a: 1\n', close: '---\n' },
          body: 'body\n',
          suffix: '```\n',
        },
      },
    ],
    [
      'a four-backtick fence is only closed by four backticks',
      '````prompt\r\n---\r\n---\r\nx\r\n```\r\n',
      {
        layout: {
          prefix: '````prompt\r\n',
          metadata: { open: '---\r\n', yaml: '', close: '---\r\n' },
          body: 'x\r\n```\r\n',
          suffix: '',
        },
      },
    ],
    [
      'a fence without front matter is body text',
      '```prompt\nhello\n```\n',
      { layout: { prefix: '', body: '```prompt\nhello\n```\n', suffix: '' } },
    ],
    [
      'a lone CR is a line break',
      '---\ra: 1\r---\rbody',
      { layout: { prefix: '', metadata: { open: '---\r', yaml: 'a: 1\r', close: '---\r' }, body: 'body', suffix: '' } },
    ],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => {
      const split = splitFrontMatter(text);
      assert.deepEqual(split, expected);
      assert.equal(serializeLayout(split.layout), text);
    });
  }
});
