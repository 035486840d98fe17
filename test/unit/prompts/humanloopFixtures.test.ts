import assert from 'node:assert/strict';
import { parsePromptFile } from '../../../src/core/prompts';
import { assertWellLocated, errorsOf, parseValid } from './expectParse';
import { PROMPT_FIXTURES_DIR, readFixture } from './fixtureFiles';

describe('prompt parsing: Humanloop .prompt files', () => {
  it('reads a chat prompt: parameters from the front matter, dedented blocks, PromptOps fields', () => {
    const text = readFixture(PROMPT_FIXTURES_DIR, 'support-triage.prompt');
    const { model } = parseValid('prompts/support-triage.prompt', text);
    assert.equal(model.name, 'support-triage');
    assert.equal(model.model, 'gpt-4o');
    assert.equal(model.workspace, 'support');
    assert.equal(model.env, 'test');
    assert.deepEqual(Object.keys(model.parameters), [
      'temperature',
      'max_tokens',
      'top_p',
      'provider',
      'endpoint',
      'tools',
    ]);
    assert.equal(model.parameters.max_tokens, 800);
    assert.equal((model.parameters.tools as { name: string }[])[0].name, 'lookup_order');
    assert.deepEqual(
      model.messages.map((m) => [m.role, m.line]),
      [
        ['system', 21],
        ['user', 27],
      ],
    );
    assert.equal(
      model.messages[0].content,
      'You are a support triage assistant for {{ company_name }}.\n' +
        'Classify each ticket as one of: billing, shipping, account, other.\n\nReply in {{language}}.',
    );
    assert.equal(model.messages[1].content, 'Ticket from {{customer.name}}:\n{{ ticket_body }}');
    assert.deepEqual(model.variables, ['company_name', 'customer', 'language', 'ticket_body']);
  });

  it('reads a completion prompt (no blocks) as one user message', () => {
    const text = readFixture(PROMPT_FIXTURES_DIR, 'summarize-completion.prompt');
    const { model } = parseValid('summarize-completion.prompt', text);
    assert.equal(model.model, 'claude-3-5-haiku-latest');
    assert.equal(model.parameters.endpoint, 'complete');
    assert.deepEqual(
      model.messages.map((m) => [m.role, m.line]),
      [['user', 8]],
    );
    assert.deepEqual(model.variables, ['article', 'num_sentences']);
  });

  it('reads a CRLF few-shot prompt with a Jinja loop, keeping CRLF inside contents', () => {
    const text = readFixture(PROMPT_FIXTURES_DIR, 'few-shot-translate-crlf.prompt');
    const { model } = parseValid('few-shot-translate-crlf.prompt', text);
    assert.deepEqual(
      model.messages.map((m) => `${m.role}@${m.line}`),
      ['system@8', 'user@12', 'assistant@15', 'user@18'],
    );
    assert.equal(
      model.messages[0].content,
      "Translate the user's text into {{target_language}}.\r\nKeep names and numbers as they are.",
    );
    assert.equal(model.messages[2].content, 'Hello, my name is Marie.');
    assert.deepEqual(model.variables, ['lines', 'target_language']);
    assert.equal(model.env, 'dev');
  });

  it('reports an unclosed block at its opening tag', () => {
    const text = readFixture(PROMPT_FIXTURES_DIR, 'unclosed-tag.prompt');
    const { prompt, diagnostics } = parsePromptFile('unclosed-tag.prompt', text);
    assertWellLocated(diagnostics, 'unclosed-tag.prompt', text);
    assert.deepEqual(errorsOf(diagnostics), [{ line: 7, column: 1, field: 'messages[1]' }]);
    assert.match(diagnostics[0].message, /<user> is never closed/);
    assert.deepEqual(
      prompt?.model.messages.map((m) => m.role),
      ['system'],
    );
  });

  it('reports an unknown tag where it is', () => {
    const text = readFixture(PROMPT_FIXTURES_DIR, 'unknown-tag.prompt');
    const { diagnostics } = parsePromptFile('unknown-tag.prompt', text);
    assert.deepEqual(errorsOf(diagnostics), [{ line: 7, column: 1, field: 'messages[1]' }]);
    assert.match(diagnostics[0].message, /unknown tag <human>/);
  });

  it('reports text outside blocks and a stray closing tag', () => {
    const text = '---\nmodel: m\n---\n<system>\n  hi\n</system>\nstray words\n</user>\n<user>ok</user>\n';
    const { prompt, diagnostics } = parsePromptFile('x.prompt', text);
    assert.deepEqual(errorsOf(diagnostics), [
      { line: 7, column: 1, field: 'messages[1]' },
      { line: 8, column: 1, field: 'messages[1]' },
    ]);
    assert.match(diagnostics[0].message, /text outside a message block/);
    assert.match(diagnostics[1].message, /<\/user> has no opening tag/);
    assert.deepEqual(
      prompt?.model.messages.map((m) => [m.role, m.content]),
      [
        ['system', 'hi'],
        ['user', 'ok'],
      ],
    );
  });

  it('reads self-closing blocks, and reports an unknown self-closing tag without stopping', () => {
    const { prompt, diagnostics } = parsePromptFile(
      'x.prompt',
      '<system/>\n<image url="a.png" />\n<user>\n  hi\n</user>\n',
    );
    assert.deepEqual(errorsOf(diagnostics), [{ line: 2, column: 1, field: 'messages[1]' }]);
    assert.deepEqual(
      prompt?.model.messages.map((m) => [m.role, m.content, m.line]),
      [
        ['system', '', 1],
        ['user', 'hi', 3],
      ],
    );
  });

  it('reads a file without front matter, and an inline block', () => {
    const { model } = parseValid('a/b/inline.prompt', '<user>What is {{x}}?</user>');
    assert.equal(model.name, 'inline');
    assert.deepEqual(model.messages, [{ role: 'user', content: 'What is {{x}}?', line: 1 }]);
    assert.deepEqual(model.metadata, {});
  });
});
