import assert from 'node:assert/strict';
import { parseAccessFile } from '../../../src/core/access';
import {
  ACCESS_FILE_TEMPLATE,
  gitattributesLines,
  pinServer,
  withGitattributes,
} from '../../../src/core/access/accessFileTemplate';
import { PROMPT_EXTENSIONS } from '../../../src/core/prompts';

const KEY = 'MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=';

describe('promptops init: access file and .gitattributes (pure)', () => {
  it('pins server and key right after version in the template, keeping its comments, and the result parses', () => {
    const pinned = pinServer(ACCESS_FILE_TEMPLATE, 'http://127.0.0.1:4700', KEY);
    assert.equal(pinned.kind, 'pinned');
    const text = pinned.kind === 'pinned' ? pinned.text : '';
    assert.match(text, /^version: 1\nserver: http:\/\/127\.0\.0\.1:4700\npublicKey: "MCow[^"]+"\n/m);
    assert.match(text, /^# PromptOps access file/);
    const policy = parseAccessFile(text).policy!;
    assert.deepEqual([policy.server, policy.publicKey], ['http://127.0.0.1:4700', KEY]);
    assert.deepEqual(pinServer(text, 'http://127.0.0.1:4700', KEY), { kind: 'pinned', text, added: [] });
  });

  it('never replaces a different pinned key, naming file, line and field', () => {
    const text = `version: 1\nserver: http://a:1\npublicKey: "other"\n`;
    const r = pinServer(text, 'http://a:1', KEY);
    assert.equal(r.kind, 'refused');
    assert.match(r.kind === 'refused' ? r.message : '', /^\.promptops\/access\.yaml:3 publicKey: is "other"/);
  });

  it('adds the missing -text lines for every prompt format and the signed files, once', () => {
    const wanted = gitattributesLines(PROMPT_EXTENSIONS);
    assert.deepEqual(wanted, [
      '*.prompt.yaml -text',
      '*.prompt.yml -text',
      '*.prompt.md -text',
      '*.prompty -text',
      '*.prompt -text',
      '.promptops/*.yaml -text',
    ]);
    const first = withGitattributes('*.png binary\n*.prompt -text\n', wanted)!;
    assert.match(first, /^\*\.png binary\n\*\.prompt -text\n\n# PromptOps/);
    assert.equal(first.match(/^\*\.prompt -text$/gm)?.length, 1);
    assert.equal(withGitattributes(first, wanted), undefined);
  });
});
