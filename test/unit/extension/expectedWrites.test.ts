import assert from 'node:assert/strict';
import { ExpectedWrites } from '../../../src/extension/model/expectedWrites';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('ExpectedWrites', () => {
  it('recognises our own write by content, and forgets it once the file holds something else', () => {
    const expected = new ExpectedWrites();
    assert.equal(expected.isOurs('.promptops/published.yaml', bytes('a')), false, 'nothing announced');
    expected.expect('.promptops/published.yaml', bytes('lock v2'));
    assert.equal(expected.isOurs('.promptops/published.yaml', bytes('lock v2')), true);
    assert.equal(expected.isOurs('.promptops/published.yaml', bytes('lock v2')), true, 'a second watcher event too');
    assert.equal(expected.isOurs('.promptops/published.yaml', bytes('edited by hand')), false);
    assert.equal(expected.isOurs('.promptops/published.yaml', bytes('lock v2')), false, 'forgotten after a change');
  });
});
