import * as assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { escapeGlobPath, mergeReadonlyInclude } from '../../../src/extension/enforcement/readonlyIncludeMerge';

describe('files.readonlyInclude merge', () => {
  it('escapes glob characters so a key matches exactly its own path', () => {
    const path = '/repo/prompts/{a}/b[1]/c*?.prompt';
    const key = escapeGlobPath(path);
    assert.equal(key, '/repo/prompts/[{]a[}]/b[[]1[]]/c[*][?].prompt');
    // picomatch reads bracket classes the way VS Code's glob does.
    assert.equal(picomatch.isMatch(path, key), true);
    assert.equal(picomatch.isMatch('/repo/prompts/a/b1/cxy.prompt', key), false);
    assert.equal(escapeGlobPath('/plain/path.prompt'), '/plain/path.prompt');
  });

  it('keeps the user’s entries, replaces only ours, and never claims a key the user already had', () => {
    const user = { '**/secret/**': true, '/r/a.prompt': true };
    const first = mergeReadonlyInclude(user, [], ['/r/a.prompt', '/r/b.prompt']);
    assert.deepEqual(first.value, { '**/secret/**': true, '/r/a.prompt': true, '/r/b.prompt': true });
    assert.deepEqual(first.ours, ['/r/b.prompt'], '/r/a.prompt was the user’s');
    assert.equal(first.changed, true);

    const second = mergeReadonlyInclude(first.value, first.ours, ['/r/c.prompt']);
    assert.deepEqual(second.value, { '**/secret/**': true, '/r/a.prompt': true, '/r/c.prompt': true });
    assert.deepEqual(second.ours, ['/r/c.prompt']);

    const released = mergeReadonlyInclude(second.value, second.ours, []);
    assert.deepEqual(released.value, user);
    assert.deepEqual(released.ours, []);
  });

  it('removes the setting entirely when nothing is left, and reports no change when nothing changed', () => {
    assert.deepEqual(mergeReadonlyInclude({ '/r/x': true }, ['/r/x'], []), {
      value: undefined,
      ours: [],
      changed: true,
    });
    assert.equal(mergeReadonlyInclude({ '/r/x': true }, ['/r/x'], ['/r/x']).changed, false);
    assert.equal(mergeReadonlyInclude(undefined, [], []).changed, false);
  });
});
