import assert from 'node:assert/strict';
import { comparePrompts } from '../../../src/cli/promptComparison';
import { promptText } from '../../support/reviewFixtures';

describe('comparePrompts (review show)', () => {
  it('lists changed fields, parameters and each changed message with a line diff', () => {
    const before = promptText('Line one.\n  Line two.', { env: 'dev' });
    const after = promptText('Line one.\n  Line 2.', { env: 'prod', temperature: '0.7', model: 'gpt-4o-mini' });
    const lines = comparePrompts('p/a.prompt', before, after);
    assert.ok(lines.includes('model: "gpt-4o" → "gpt-4o-mini"'), lines.join('\n'));
    assert.ok(lines.includes('env: "dev" → "prod"'));
    assert.ok(lines.includes('parameters.temperature: 0.2 → 0.7'));
    assert.ok(lines.includes('messages[0] (system):'));
    assert.ok(lines.includes('    - Line two.') && lines.includes('    + Line 2.'));
    assert.ok(!lines.some((l) => l.startsWith('messages[1]')), 'unchanged messages are not listed');
  });

  it('shows a whole new prompt as added messages, and says so when nothing changed', () => {
    const text = promptText('Hello.');
    assert.ok(comparePrompts('a.prompt', null, text).some((l) => l === 'messages[0] (system): added'));
    assert.deepEqual(comparePrompts('a.prompt', text, text), ['(no change to the prompt’s fields or messages)']);
  });
});
