import assert from 'node:assert/strict';
import { TextPositions } from '../../../src/core/textPositions';

describe('TextPositions', () => {
  it('counts CRLF, LF and a lone CR as line breaks and skips a BOM', () => {
    const p = new TextPositions('\uFEFFab\r\ncd\ref\ngh');
    assert.deepEqual(p.at(1), { line: 1, column: 1 });
    assert.deepEqual(p.at(2), { line: 1, column: 2 });
    assert.deepEqual(p.at(5), { line: 2, column: 1 });
    assert.deepEqual(p.at(8), { line: 3, column: 1 });
    assert.deepEqual(p.at(11), { line: 4, column: 1 });
    assert.equal(p.lineCount, 4);
  });

  it('puts an offset between CR and LF at the end of its line, not past it', () => {
    const p = new TextPositions('ab\r\ncd');
    assert.deepEqual(p.at(2), { line: 1, column: 3 });
    assert.deepEqual(p.at(3), { line: 1, column: 3 });
    assert.deepEqual(p.at(4), { line: 2, column: 1 });
  });
});
