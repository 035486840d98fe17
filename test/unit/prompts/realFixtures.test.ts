import assert from 'node:assert/strict';
import {
  parsePromptFile,
  PromptFile,
  templateVariables,
  type ParsedPrompt,
  type PromptFormat,
} from '../../../src/core/prompts';
import { assertWellLocated, errorsOf, parseValid } from './expectParse';
import { listFixtures, readFixture, REAL_PROMPTS_DIR } from './fixtureFiles';

interface ValidExpectation {
  /** Only for files whose name does not say their format. */
  format?: PromptFormat;
  name: string;
  model?: string;
  parameters?: Record<string, unknown>;
  /** `role@line` for each message in order. */
  messages: string[];
  variables: string[];
  /** Further checks specific to the file's quirks. */
  check?: (prompt: ParsedPrompt, text: string) => void;
}

const layoutOf = (prompt: ParsedPrompt) => (prompt as PromptFile).layout;
const contentOf = (prompt: ParsedPrompt, i: number) => prompt.model.messages[i].content;

const VALID: Record<string, ValidExpectation> = {
  'github-models/ghm-advanced_template_prompt.yml': {
    format: 'github-models',
    name: 'Advanced Template Example',
    model: 'openai/gpt-4o-mini',
    parameters: { temperature: 0.7, maxTokens: 300 },
    messages: ['system@9', 'user@16'],
    variables: [
      'additional_context',
      'assistant_persona',
      'background_info',
      'company',
      'domain',
      'expertise_level',
      'formality_level',
      'input',
      'tone',
      'user_name',
      'user_role',
    ],
    check: (p) => {
      // Trailing spaces inside the block scalar are content.
      assert.match(contentOf(p, 1), /considering my role as \{\{user_role\}\} and \n/);
      assert.equal(p.model.description, 'Demonstrates advanced usage of template variables');
    },
  },
  'github-models/ghm-json_schema_prompt.yml': {
    format: 'github-models',
    name: 'JSON Schema String Format Example',
    model: 'openai/gpt-4o-mini',
    parameters: {},
    messages: ['system@38', 'user@40'],
    variables: ['animal'],
    check: (p) => {
      assert.equal(p.model.metadata.responseFormat, 'json_schema');
      assert.match(String(p.model.metadata.jsonSchema), /^\{\n {2}"name": "animal_description"/);
    },
  },
  'github-models/ghm-sample_prompt.yml': {
    format: 'github-models',
    name: 'Sample Evaluation',
    model: 'openai/gpt-4o',
    parameters: { temperature: 0.5, maxTokens: 50 },
    messages: ['system@15', 'user@17'],
    // `{{string}}` is used by an evaluator, not by a message.
    variables: ['input'],
    check: (p) => {
      assert.equal(contentOf(p, 1), 'Please respond to this message appropriately: {{input}}');
      assert.equal((p.model.metadata.testData as unknown[]).length, 2);
    },
  },
  'github-models/ghm-test_builtins.yml': {
    format: 'github-models',
    name: 'Test Built-in Evaluators',
    model: 'openai/gpt-4o',
    parameters: { temperature: 0.5, maxTokens: 100 },
    messages: ['system@11', 'user@13'],
    variables: ['input'],
    check: (p) => assert.equal((p.model.metadata.evaluators as unknown[]).length, 5),
  },
  'github-models/ghm-test_generate-generated.yml': {
    format: 'github-models',
    name: 'Funny Joke Test',
    model: 'openai/gpt-4o-mini',
    parameters: { temperature: 0.2 },
    messages: ['system@7', 'user@10'],
    // The evaluator's prompt and systemPrompt use `{{completion}}` / `{{input}}`: not message variables.
    variables: ['input'],
    check: (p) => {
      assert.equal(contentOf(p, 1), '{{input}}\n');
      assert.equal((p.model.metadata.testData as unknown[]).length, 42);
    },
  },
  'github-models/ghm-text-summarizer.prompt.yml': {
    name: 'Text Summarizer',
    model: 'openai/gpt-4o-mini',
    parameters: { temperature: 0.5 },
    messages: ['system@7', 'user@9'],
    variables: ['input'],
    check: (p, text) => {
      assert.ok(!text.endsWith('\n'));
      // A `|` block keeps one final line break even when the file has none (YAML clip chomping).
      assert.equal(
        contentOf(p, 1),
        'Summarize the given text, beginning with "Summary -":\n<text>\n{{input}}\n</text>\n',
      );
    },
  },
  'prompty/prompty-basic-mustache.prompty': {
    name: 'Basic Prompt',
    model: 'gpt-35-turbo',
    parameters: {},
    messages: ['system@32', 'user@44'],
    // The Mustache comment `{{! ignore this line from Mustache }}` names no variable.
    variables: ['firstName', 'lastName', 'query', 'question'],
    check: (p) => {
      assert.equal(p.model.metadata.template, 'mustache');
      assert.ok(contentOf(p, 0).includes('{{! ignore this line from Mustache }}'), 'content is as written');
      assert.equal(contentOf(p, 1), '{{question}}');
    },
  },
  'prompty/prompty-context-jinja.prompty': {
    name: 'Prompt with complex context',
    model: 'gpt-35-turbo',
    parameters: {},
    messages: ['system@16', 'user@46'],
    // `item` is the loop variable; `documentation` is what the loop reads.
    variables: ['customer', 'documentation', 'question'],
    check: (p) => assert.equal(p.model.metadata.inputs, '${file:context.json}'),
  },
  'prompty/prompty-cs-basic-with-file.prompty': {
    name: 'Basic Prompt',
    // `model.configuration` and `model.parameters` are `${file:…}` references: nothing to read here.
    parameters: {},
    messages: ['system@21', 'user@30'],
    variables: ['firstName', 'lastName', 'question'],
    check: (p) => {
      assert.equal(layoutOf(p).prefix, '\uFEFF');
      assert.deepEqual(p.model.metadata.template, { format: 'jinja2', parser: 'prompty' });
      assert.equal(
        p.model.messages[0].content.split('\n')[0],
        'You are an AI assistant who helps people find information.',
      );
    },
  },
  'prompty/prompty-cs-claim-buddy.prompty': {
    name: 'Claim Buddy',
    model: 'gpt-4o',
    parameters: { max_tokens: 150, temperature: 0.5, top_p: 1, frequency_penalty: 0, presence_penalty: 0 },
    // No role markers: the whole body is one system message.
    messages: ['system@42'],
    variables: [],
    check: (p) => {
      assert.match(contentOf(p, 0), /^# Job Description\n/);
      assert.ok(contentOf(p, 0).includes('1.\tExplaining common claim issues.'), 'tabs are kept');
      assert.equal(p.model.metadata.id, 'claim_buddy');
    },
  },
  'prompty/prompty-docs-shakespeare.prompty': {
    name: 'Shakespearean Writing Prompty',
    model: 'gpt-4',
    parameters: { max_tokens: 3000 },
    // `example:` is text inside the system message, not a role.
    messages: ['system@18', 'user@26', 'assistant@27', 'user@31'],
    variables: ['question'],
    check: (p) => {
      assert.match(contentOf(p, 0), /\n\nexample:$/);
      assert.equal(contentOf(p, 1), 'Please write a short text turning down an invitation to dinner.');
      assert.equal(
        contentOf(p, 2),
        'Dearest,\n  Regretfully, I must decline thy invitation.\n  Prior engagements call me hence. Apologies.',
      );
      assert.equal(contentOf(p, 3), '{{question}}');
    },
  },
  'prompty/prompty-groundedness.prompty': {
    name: 'QnA Groundedness Evaluation',
    model: 'gpt-4',
    parameters: {},
    // `User:` in mixed case is a role marker.
    messages: ['system@19', 'user@21'],
    variables: ['answer', 'context'],
    check: (p) => {
      assert.match(contentOf(p, 1), /^You will be presented with a CONTEXT/);
      assert.match(contentOf(p, 1), /Actual Task Output:$/);
      assert.deepEqual((p.model.metadata.metadata as { authors: string[] }).authors, ['sethjuarez', 'jietong']);
    },
  },
  'prompty/prompty-shorthand-body-only.prompty': {
    name: 'prompty-shorthand-body-only',
    parameters: {},
    messages: ['system@1'],
    variables: [],
    check: (p) => {
      assert.equal(layoutOf(p).metadata, undefined);
      assert.deepEqual(p.model.metadata, {});
      assert.equal(contentOf(p, 0), 'You are a helpful assistant that answers questions concisely.');
    },
  },
  'prompty/prompty-shorthand-empty-frontmatter.prompty': {
    name: 'prompty-shorthand-empty-frontmatter',
    parameters: {},
    messages: ['system@3'],
    variables: [],
    check: (p) => {
      assert.deepEqual(layoutOf(p).metadata, { open: '---\n', yaml: '', close: '---\n' });
      assert.deepEqual(p.model.metadata, {});
      assert.equal(contentOf(p, 0), 'You are a helpful assistant.');
    },
  },
  'prompty/prompty-v2-chat-agent.prompty': {
    name: 'openai-agent',
    model: 'gpt-4o-mini',
    parameters: { temperature: 0, maxOutputTokens: 1024 },
    messages: ['system@33', 'user@37'],
    variables: ['question'],
    check: (p) => assert.equal((p.model.metadata.model as { provider: string }).provider, 'openai'),
  },
  'vscode-prompt-md/acp-csharp-tunit.prompt.md': {
    name: 'acp-csharp-tunit',
    parameters: {},
    messages: ['user@7'],
    variables: [],
    check: (p, text) => {
      assert.equal(layoutOf(p).prefix, '\uFEFF');
      assert.equal(p.model.metadata.mode, 'agent');
      assert.deepEqual(p.model.metadata.tools, ['changes', 'codebase', 'editFiles', 'problems', 'search']);
      assert.ok(!text.endsWith('\n'));
      // The BOM is not a column: `mode` is at 1:1 of line 2, its value at column 7.
      assert.deepEqual(p.locateMetadata('mode'), { line: 2, column: 7 });
    },
  },
  'vscode-prompt-md/acp-dbmigration-validateTestResults.prompt.md': {
    name: 'acp-dbmigration-validateTestResults',
    model: 'Claude Sonnet 4.6 (copilot)',
    parameters: {},
    // No blank line after the closing `---`: the body starts on line 6.
    messages: ['user@6'],
    variables: [],
    check: (p) => {
      assert.deepEqual(p.model.metadata.tools, ['vscode/askQuestions', 'read', 'edit', 'search', 'todo']);
      assert.ok(contentOf(p, 0).includes('| **Pass Rate** | {%} | {%} |'));
      // `{%}` in a table is not Jinja, and `{SOLUTION_ROOT}` is not `{{…}}`.
      assert.deepEqual(templateVariables([contentOf(p, 0)]), []);
    },
  },
  'vscode-prompt-md/acp-gen-specs-as-issues.prompt.md': {
    name: 'acp-gen-specs-as-issues',
    parameters: {},
    messages: ['user@1'],
    variables: [],
    check: (p, text) => {
      assert.equal(layoutOf(p).metadata, undefined);
      assert.deepEqual(p.model.metadata, {});
      assert.equal(contentOf(p, 0), text.trim());
      assert.ok(contentOf(p, 0).includes('×'));
    },
  },
  'vscode-prompt-md/acp-my-issues.prompt.md': {
    name: 'acp-my-issues',
    parameters: {},
    messages: ['user@7'],
    variables: [],
    check: (p) => {
      assert.equal(layoutOf(p).metadata?.open, '---\r\n');
      assert.equal(p.model.description, 'List my issues in the current repository');
      assert.match(contentOf(p, 0), /^Search the current repo .*\r\n\r\nSuggest issues/);
    },
  },
  'vscode-prompt-md/acp-plan-feature-build.prompt.md': {
    name: 'acp-plan-feature-build',
    parameters: {},
    messages: ['user@7'],
    variables: [],
    check: (p) => {
      // Fenced in ```prompt: the front matter begins on line 2.
      assert.equal(layoutOf(p).prefix, '```prompt\n');
      assert.equal(layoutOf(p).suffix, '```\n');
      assert.deepEqual(p.locateMetadata('mode'), { line: 3, column: 7 });
      assert.deepEqual(Object.keys(p.model.metadata), ['mode', 'description']);
      assert.match(contentOf(p, 0), /^# Feature Build Implementation Prompt\n/);
      assert.ok(contentOf(p, 0).includes('└'), 'box drawing kept');
    },
  },
  'vscode-prompt-md/acp-power-bi-dax-optimization.prompt.md': {
    name: 'acp-power-bi-dax-optimization',
    model: 'gpt-4.1',
    parameters: {},
    messages: ['user@9'],
    variables: [],
    check: (p) => {
      assert.equal(layoutOf(p).prefix, '````prompt\r\n');
      assert.equal(layoutOf(p).suffix, '````\r\n');
      assert.deepEqual(p.locateMetadata('model'), { line: 5, column: 8 });
      assert.match(contentOf(p, 0), /^# Power BI DAX Formula Optimizer\r\n/);
      assert.ok(!contentOf(p, 0).endsWith('````'), 'the closing fence is not content');
    },
  },
  'vscode-prompt-md/acp-refactor-method-complexity-reduce.prompt.md': {
    name: 'refactor-method-complexity-reduce',
    model: 'Auto (copilot)',
    parameters: {},
    messages: ['user@10'],
    variables: ['complexityThreshold', 'methodName'],
    check: (p) => {
      assert.equal(p.model.metadata.agent, 'agent');
      assert.equal(p.model.metadata['argument-hint'], 'methodName=..., complexityThreshold=15');
      assert.match(p.model.description ?? '', /^Refactor given method `\$\{input:methodName\}`/);
    },
  },
  'vscode-prompt-md/acp-togaf-assessment.prompt.md': {
    name: 'acp-togaf-assessment',
    model: 'claude-sonnet-4',
    parameters: {},
    messages: ['user@8'],
    variables: [],
    check: (p, text) => {
      assert.equal(layoutOf(p).prefix, '\uFEFF');
      const loneCr = text.indexOf('\r');
      assert.equal(Buffer.byteLength(text.slice(0, loneCr)), 2127, 'the fixture keeps its lone CR at byte 2127');
      assert.notEqual(text[loneCr + 1], '\n');
      assert.ok(contentOf(p, 0).includes('README*, \readme*'), 'the lone CR is kept in the content');
    },
  },
};

const INVALID: Record<
  string,
  { errors: { line: number; column: number; field: string }[]; message: RegExp; check?: (p: ParsedPrompt) => void }
> = {
  'github-models/ai-inference-invalid-role.prompt.yml': {
    errors: [{ line: 2, column: 11, field: 'messages[0].role' }],
    message: /`not_a_valid_role` is not a message role/,
    check: (p) => {
      assert.equal(p.model.model, undefined);
      assert.deepEqual(p.model.messages, []);
    },
  },
  'github-models/ai-inference-missing-messages.prompt.yml': {
    errors: [{ line: 1, column: 1, field: 'messages' }],
    message: /^missing: a GitHub Models prompt needs a list of messages/,
    check: (p) => assert.equal(p.model.model, 'openai/gpt-4o'),
  },
};

describe('prompt parsing: real prompt files', () => {
  it('has an expectation for every fixture file, and a file for every expectation', () => {
    assert.deepEqual(listFixtures(REAL_PROMPTS_DIR), Object.keys({ ...VALID, ...INVALID }).sort());
  });

  for (const [path, expected] of Object.entries(VALID)) {
    it(`reads ${path}`, () => {
      const text = readFixture(REAL_PROMPTS_DIR, path);
      const prompt = parseValid(path, text, expected.format);
      const { model } = prompt;
      assert.equal(model.name, expected.name);
      assert.equal(model.model, expected.model);
      if (expected.parameters) assert.deepEqual(model.parameters, expected.parameters);
      assert.deepEqual(
        model.messages.map((m) => `${m.role}@${m.line}`),
        expected.messages,
      );
      assert.deepEqual(model.variables, expected.variables);
      assert.equal(model.workspace, undefined);
      assert.equal(model.env, undefined);
      expected.check?.(prompt, text);
    });
  }

  for (const [path, expected] of Object.entries(INVALID)) {
    it(`reports the error in ${path} where it is`, () => {
      const text = readFixture(REAL_PROMPTS_DIR, path);
      const { prompt, diagnostics } = parsePromptFile(path, text);
      assertWellLocated(diagnostics, path, text);
      assert.deepEqual(errorsOf(diagnostics), expected.errors);
      assert.match(diagnostics[0].message, expected.message);
      assert.equal(diagnostics[0].file, path);
      assert.ok(prompt, 'the rest of the file is still read');
      assert.equal(prompt.serialize(), text);
      expected.check?.(prompt);
    });
  }
});
