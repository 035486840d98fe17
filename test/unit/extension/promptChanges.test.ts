import * as assert from 'node:assert/strict';
import { promptChanges } from '../../../src/extension/reviews/promptChanges';

const base = `---
model: gpt-4o
temperature: 0.2
---
<system>
You handle refunds. Be brief.
</system>
<user>
{{question}}
</user>
`;

describe('promptChanges (review panel diff)', () => {
  it('compares field by field: a changed model and parameter, an added parameter', () => {
    const head = base.replace('gpt-4o', 'gpt-4o-mini').replace('temperature: 0.2', 'temperature: 0.5\nmax_tokens: 300');
    const { fields } = promptChanges('a.prompt', base, head);
    const byField = Object.fromEntries(fields.map((f) => [f.field, f]));
    assert.deepEqual(byField.model, { field: 'model', before: 'gpt-4o', after: 'gpt-4o-mini', status: 'changed' });
    assert.equal(byField['parameters.temperature'].status, 'changed');
    assert.deepEqual(byField['parameters.max_tokens'], {
      field: 'parameters.max_tokens',
      before: undefined,
      after: '300',
      status: 'added',
    });
    assert.equal(byField.name.status, 'same');
  });

  it('compares message by message with word runs; an inserted message is one addition', () => {
    const head = base
      .replace('Be brief.', 'Be brief and kind.')
      .replace('<user>', '<assistant>\nHow can I help?\n</assistant>\n<user>');
    const { messages } = promptChanges('a.prompt', base, head);
    assert.deepEqual(
      messages.map((m) => [m.role, m.status]),
      [
        ['system', 'changed'],
        ['assistant', 'added'],
        ['user', 'same'],
      ],
    );
    const added = messages[0].runs.filter((r) => r.kind === 'added').map((r) => r.text.trim());
    assert.deepEqual(added, ['and kind']);
  });

  it('with nothing published, every field and message is added', () => {
    const { fields, messages } = promptChanges('a.prompt', undefined, base);
    assert.ok(fields.every((f) => f.status === 'added'));
    assert.ok(messages.every((m) => m.status === 'added'));
  });

  it('falls back to a line diff when a side is not a readable prompt', () => {
    const result = promptChanges('notes.txt', 'one\ntwo\n', 'one\nthree\n');
    assert.ok(result.rawDiff && result.rawDiff.length > 0);
  });
});
