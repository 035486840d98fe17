import * as assert from 'node:assert/strict';
import { promptChanges } from '../../../src/core/review/promptChanges';

const base = `---
model: gpt-4o
temperature: 0.2
---
<system>
You handle refunds. Be brief. Never promise a date.
</system>
<user>
{{question}}
</user>
`;

const changedWords = (runs: { text: string; kind: string }[], kind: 'added' | 'removed') =>
  runs.filter((r) => r.kind === kind).map((r) => r.text.trim());

describe('promptChanges (the one prompt diff: review panel and review show)', () => {
  it('compares field by field: a changed model and parameter, an added parameter', () => {
    const head = base.replace('gpt-4o', 'gpt-4o-mini').replace('temperature: 0.2', 'temperature: 0.5\nmax_tokens: 300');
    const { fields } = promptChanges('a.prompt', base, head);
    const byField = Object.fromEntries(fields.map((f) => [f.field, f]));
    assert.deepEqual(byField.model, { field: 'model', before: 'gpt-4o', after: 'gpt-4o-mini', status: 'changed' });
    assert.deepEqual(byField['parameters.temperature'], {
      field: 'parameters.temperature',
      before: '0.2',
      after: '0.5',
      status: 'changed',
    });
    assert.deepEqual(byField['parameters.max_tokens'], {
      field: 'parameters.max_tokens',
      before: undefined,
      after: '300',
      status: 'added',
    });
    assert.equal(byField.name.status, 'same');
  });

  it('a message inserted in the middle is one addition, not a shift of the messages after it', () => {
    const head = base.replace('<user>', '<assistant>\nHow can I help?\n</assistant>\n<user>');
    const { messages } = promptChanges('a.prompt', base, head);
    assert.deepEqual(
      messages.map((m) => [m.position, m.role, m.status]),
      [
        [1, 'system', 'same'],
        [2, 'assistant', 'added'],
        [3, 'user', 'same'],
      ],
    );
  });

  it('a changed sentence marks only that sentence’s words, even next to an inserted message', () => {
    const head = base
      .replace('<system>', '<developer>\nUse the refund tool.\n</developer>\n<system>')
      .replace('Be brief.', 'Be brief and kind.');
    const { messages } = promptChanges('a.prompt', base, head);
    assert.deepEqual(
      messages.map((m) => [m.role, m.status]),
      [
        ['developer', 'added'],
        ['system', 'changed'],
        ['user', 'same'],
      ],
    );
    assert.deepEqual(changedWords(messages[1].runs, 'added'), ['and kind']);
    assert.deepEqual(changedWords(messages[1].runs, 'removed'), []);
  });

  it('with nothing published, every field and message is added', () => {
    const { fields, messages } = promptChanges('a.prompt', undefined, base);
    assert.ok(fields.length > 0 && fields.every((f) => f.status === 'added'));
    assert.ok(messages.length === 2 && messages.every((m) => m.status === 'added'));
  });

  it('falls back to a line diff when a side is not a readable prompt', () => {
    // Front matter that never closes: not a prompt.
    const broken = '---\nmodel: claude\n';
    const result = promptChanges('a.prompt', broken, base);
    assert.deepEqual([result.fields, result.messages], [[], []]);
    assert.ok(result.rawDiff?.some((r) => r.kind === 'removed' && r.text === 'model: claude\n'));
    assert.ok(result.rawDiff?.some((r) => r.kind === 'added' && r.text.includes('You handle refunds.')));
  });
});
