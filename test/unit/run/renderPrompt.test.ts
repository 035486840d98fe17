import assert from 'node:assert/strict';
import { LocatedError } from '../../../src/core/diagnostics';
import { parsePromptFile, type ParsedPrompt } from '../../../src/core/prompts';
import {
  chatParameters,
  parseVariableAssignments,
  promptInputs,
  renderPrompt,
  type PromptValues,
} from '../../../src/core/run';
import { PROMPT_FIXTURES_DIR, readFixture, REAL_PROMPTS_DIR } from '../prompts/fixtureFiles';

function parse(path: string, text: string): ParsedPrompt {
  const { prompt } = parsePromptFile(path, text);
  assert.ok(prompt, `${path} did not parse`);
  return prompt;
}

function renderError(prompt: ParsedPrompt, values: PromptValues): string[] {
  try {
    renderPrompt(prompt, values);
  } catch (e) {
    assert.ok(e instanceof LocatedError, String(e));
    return e.message.split('\n');
  }
  assert.fail('rendered without the missing variables');
}

describe('renderPrompt', () => {
  describe('.prompt (Humanloop)', () => {
    const prompt = parse('prompts/support-triage.prompt', readFixture(PROMPT_FIXTURES_DIR, 'support-triage.prompt'));

    it('fills {{ name }} and {{ name.field }} into each message', () => {
      const values = parseVariableAssignments([
        'company_name=Acme',
        'language=French',
        'customer.name=Ann <ann@example.com>',
        'ticket_body=My parcel {{ never }} came & I am "upset"',
      ]);
      assert.deepEqual(renderPrompt(prompt, values), [
        {
          role: 'system',
          content:
            'You are a support triage assistant for Acme.\nClassify each ticket as one of: billing, shipping, account, other.\n\nReply in French.',
        },
        { role: 'user', content: 'Ticket from Ann <ann@example.com>:\nMy parcel {{ never }} came & I am "upset"' },
      ]);
    });

    it('names every missing variable with file, line and message', () => {
      assert.deepEqual(renderError(prompt, { company_name: 'Acme', customer: {} }), [
        'prompts/support-triage.prompt:21:1 messages[0]: missing variable `language`: give it a value',
        'prompts/support-triage.prompt:27:1 messages[1]: missing variable `ticket_body`: give it a value',
      ]);
      assert.deepEqual(renderError(prompt, { company_name: 'A', language: 'en', ticket_body: 't', customer: {} }), [
        'prompts/support-triage.prompt:27:1 messages[1]: missing variable `customer.name`: give it a value',
      ]);
    });

    it('lists the variables the prompt needs', () => {
      assert.deepEqual(
        promptInputs(prompt).map((i) => i.name),
        ['company_name', 'customer', 'language', 'ticket_body'],
      );
    });
  });

  describe('.prompt.yml (GitHub Models)', () => {
    const prompt = parse('ghm-sample.prompt.yml', readFixture(REAL_PROMPTS_DIR, 'github-models/ghm-sample_prompt.yml'));

    it('fills {{input}} and takes the model parameters', () => {
      assert.deepEqual(renderPrompt(prompt, { input: 'hello world' }), [
        { role: 'system', content: 'You are a helpful assistant that responds to greetings and farewells.' },
        { role: 'user', content: 'Please respond to this message appropriately: hello world' },
      ]);
      assert.deepEqual(chatParameters(prompt.model.parameters), { temperature: 0.5, max_tokens: 50 });
    });

    it('names the missing variable at its message content', () => {
      assert.deepEqual(renderError(prompt, {}), [
        'ghm-sample.prompt.yml:17:1 messages[1].content: missing variable `input`: give it a value',
      ]);
    });
  });

  describe('.prompty', () => {
    it('renders Mustache without HTML escaping, using declared defaults', () => {
      const prompt = parse('basic.prompty', readFixture(REAL_PROMPTS_DIR, 'prompty/prompty-basic-mustache.prompty'));
      // lastName has a default; query, firstName and question do not.
      assert.deepEqual(renderError(prompt, { query: '' }), [
        'basic.prompty:32:1 messages[0]: missing variable `firstName`: give it a value',
        'basic.prompty:44:1 messages[1]: missing variable `question`: give it a value',
      ]);
      const messages = renderPrompt(prompt, { query: 'Q & A <b>', firstName: "O'Brien", question: 'Why "x"?' });
      assert.equal(messages.length, 2);
      assert.equal(messages[0].role, 'system');
      assert.match(messages[0].content, /personal flair with appropriate emojis\.\nQ & A <b>\n/);
      assert.match(messages[0].content, /You are helping O'Brien Doe to find answers/);
      assert.doesNotMatch(messages[0].content, /ignore this line/);
      assert.deepEqual(messages[1], { role: 'user', content: 'Why "x"?' });
    });

    it('renders Jinja2 loops over structured values, and a loop may write several messages', () => {
      const prompt = parse(
        'chat.prompty',
        [
          '---',
          'name: chat',
          'template: { format: { kind: jinja2 }, parser: { kind: prompty } }',
          '---',
          'system:',
          'Help {{ customer.name | upper }} & co.',
          '{% for item in history %}',
          '{{ item.role }}:',
          '{{ item.content }}',
          '{% endfor %}',
          'user:',
          '{{ question }}',
        ].join('\n'),
      );
      const messages = renderPrompt(prompt, {
        customer: { name: 'ann' },
        history: [
          { role: 'user', content: 'hi <there>' },
          { role: 'assistant', content: 'hello' },
        ],
        question: 'and now?',
      });
      assert.deepEqual(messages, [
        { role: 'system', content: 'Help ANN & co.' },
        { role: 'user', content: 'hi <there>' },
        { role: 'assistant', content: 'hello' },
        { role: 'user', content: 'and now?' },
      ]);
    });

    it('defaults to Jinja2 and refuses an unknown engine at its field', () => {
      const text = '---\ntemplate: handlebars\n---\nuser:\n{{ q }}\n';
      assert.deepEqual(renderError(parse('x.prompty', text), { q: 'a' }), [
        'x.prompty:2:11 template: unknown template engine "handlebars": use jinja2 or mustache',
      ]);
      assert.deepEqual(renderPrompt(parse('y.prompty', 'user:\n{{ q }}{% if q %}!{% endif %}'), { q: 'a' }), [
        { role: 'user', content: 'a!' },
      ]);
    });

    it('cannot reach JavaScript through a template: no constructors, prototypes or methods', () => {
      for (const expression of [
        "''.constructor.constructor('return process.pid')()",
        "q['constr' + 'uctor']['constructor']('return process.pid')()",
        'q.__proto__.constructor',
        'q.toString()',
        "range.constructor('return 1')()",
      ]) {
        const prompt = parse('evil.prompty', `user:\n[{{ ${expression} }}]`);
        let content: string;
        try {
          content = renderPrompt(prompt, { q: 'x', range: 'r' })[0].content;
        } catch (e) {
          assert.ok(e instanceof LocatedError, `${expression}: ${String(e)}`);
          continue;
        }
        assert.doesNotMatch(content, new RegExp(String(process.pid)), expression);
        assert.doesNotMatch(content, /function|native code|\[1\]/, expression);
      }
      // Own data still reads, and filters still work.
      const ok = parse(
        'ok.prompty',
        'user:\n{{ c.name | upper }} {{ items | join(", ") }} {{ items.length }} {{ items[1] }}',
      );
      assert.deepEqual(renderPrompt(ok, { c: { name: 'ann' }, items: ['a', 'b'] }), [
        { role: 'user', content: 'ANN a, b 2 b' },
      ]);
    });

    it('cannot include files', () => {
      const lines = renderError(parse('z.prompty', "user:\n{% include '/etc/passwd' %}"), {});
      assert.equal(lines.length, 1);
      assert.match(lines[0], /^z\.prompty:1:1 template: cannot render the template: .*passwd/);
    });
  });

  describe('.prompt.md (VS Code)', () => {
    const prompt = parse(
      'refactor.prompt.md',
      readFixture(REAL_PROMPTS_DIR, 'vscode-prompt-md/acp-refactor-method-complexity-reduce.prompt.md'),
    );

    it('fills ${input:name} everywhere and leaves ${selection} and the like alone', () => {
      const [message] = renderPrompt(prompt, { methodName: 'Parse', complexityThreshold: '15' });
      assert.equal(message.role, 'user');
      assert.match(
        message.content,
        /^Refactor the method `Parse`, to reduce its cognitive complexity to `15` or below/m,
      );
      assert.doesNotMatch(message.content, /\$\{input:/);
      const md = parse('a.prompt.md', 'Explain ${selection} in ${input:lang:a language}, ${input:lang}.');
      assert.deepEqual(promptInputs(md), [{ name: 'lang', placeholder: 'a language' }]);
      assert.deepEqual(renderPrompt(md, { lang: 'Go' }), [
        { role: 'user', content: 'Explain ${selection} in Go, Go.' },
      ]);
    });

    it('names a missing input', () => {
      assert.deepEqual(renderError(prompt, { methodName: 'Parse' }), [
        'refactor.prompt.md:10:1 messages[0]: missing variable `complexityThreshold`: give it a value',
      ]);
    });
  });
});

describe('parseVariableAssignments', () => {
  it('splits at the first = and nests dotted names', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(parseVariableAssignments(['a=x=y', 'b.c=1', 'b.d=', 'e=']))), {
      a: 'x=y',
      b: { c: '1', d: '' },
      e: '',
    });
  });

  it('refuses what is not name=value', () => {
    assert.throws(() => parseVariableAssignments(['novalue']), /expected name=value, got "novalue"/);
    assert.throws(() => parseVariableAssignments(['=x']), /expected name=value/);
    assert.throws(() => parseVariableAssignments(['a=1', 'a.b=2']), /a is given both as a value and as an object/);
  });
});

describe('chatParameters', () => {
  it('maps each format spelling and drops what an endpoint would not take', () => {
    assert.deepEqual(
      chatParameters({
        temperature: 0.2,
        maxOutputTokens: 10,
        topP: 0.9,
        provider: 'openai',
        tools: [],
        stop: ['\n'],
        responseFormat: 'json_object',
        seed: '3',
      }),
      { temperature: 0.2, max_tokens: 10, top_p: 0.9, stop: ['\n'], response_format: { type: 'json_object' } },
    );
  });
});
