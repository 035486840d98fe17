import assert from 'node:assert/strict';
import { lineEndingWarnings } from '../../../src/cli/gate/lineEndings';
import { parseCheckAttrZ, type PathAttributes } from '../../../src/git/checkAttr';

const attrs = (path: string, text: string, eol = 'unspecified'): PathAttributes => ({ path, values: { text, eol } });
const settingsOf = (autocrlf: string | undefined, attributes: PathAttributes[]) =>
  lineEndingWarnings({ autocrlf, attributes }).map((w) => [w.setting, w.paths]);

describe('line-ending settings', () => {
  it('parses `git check-attr -z` output per path', () => {
    const out = 'a.prompt\0text\0unset\0a.prompt\0eol\0unspecified\0b c.prompt\0text\0auto\0b c.prompt\0eol\0crlf\0';
    assert.deepEqual(parseCheckAttrZ(out), [attrs('a.prompt', 'unset'), attrs('b c.prompt', 'auto', 'crlf')]);
  });

  it('warns per setting: text and eol attributes, then core.autocrlf true or input; -text keeps bytes', () => {
    const files = [
      attrs('a', 'unspecified'),
      attrs('b', 'set'),
      attrs('c', 'auto'),
      attrs('d', 'unspecified', 'crlf'),
      attrs('e', 'unset', 'crlf'),
      attrs('f', 'unset'),
    ];
    assert.deepEqual(settingsOf('TRUE', files), [
      ['core.autocrlf=TRUE', ['a']],
      ['text', ['b']],
      ['text=auto', ['c']],
      ['eol=crlf', ['d']],
    ]);
    assert.deepEqual(settingsOf('input', [files[0]]), [['core.autocrlf=input', ['a']]]);
    for (const off of [undefined, 'false', '0']) assert.deepEqual(settingsOf(off, [files[0], files[4], files[5]]), []);
  });
});
