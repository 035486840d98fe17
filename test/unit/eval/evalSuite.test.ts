import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDiagnostic } from '../../../src/core/diagnostics';
import { evalDatasetPath, parseEvalDataset, promptEvalSuite, suiteProblems } from '../../../src/core/eval';
import { BUILTIN_EVALUATORS } from '../../../src/core/eval/builtinEvaluators';
import { EVAL_TESTS_SCHEMA } from '../../../src/core/eval/evalTestsSchema';
import { evalTestsValidatorSource } from '../../../src/core/eval/evalTestsSchemaAjv';
import { parsePromptFile, type ParsedPrompt } from '../../../src/core/prompts';
import { readFixture, REAL_PROMPTS_DIR } from '../prompts/fixtureFiles';

const ROOT = join(__dirname, '../../..');

function parse(path: string, text: string, format?: 'github-models'): ParsedPrompt {
  const { prompt } = parsePromptFile(path, text, format);
  assert.ok(prompt, `${path} did not parse`);
  return prompt;
}

function errors(text: string): string[] {
  return parseEvalDataset('p/t.tests.yaml', text).diagnostics.map(formatDiagnostic);
}

describe('evaluation suites', () => {
  describe('from a .prompt.yml (GitHub Models testData and evaluators)', () => {
    it('reads the real sample: each testData row is a case, with string and built-in evaluators located', () => {
      const prompt = parse('s.prompt.yml', readFixture(REAL_PROMPTS_DIR, 'github-models/ghm-sample_prompt.yml'));
      const { suite, diagnostics } = promptEvalSuite(prompt);
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(
        suite.cases.map((c) => [c.name, c.values, c.at.line, c.at.field]),
        [
          ['case 1', { input: 'hello world', string: 'hello', expected: 'greeting response' }, 8, 'testData[0]'],
          ['case 2', { input: 'goodbye world', string: 'goodbye', expected: 'farewell response' }, 11, 'testData[1]'],
        ],
      );
      assert.deepEqual(
        suite.evaluators.map((e) => ({ ...e, at: `${e.at.line} ${e.at.field}` })),
        [
          {
            kind: 'string',
            name: 'string evaluator',
            match: 'contains',
            text: '{{string}}',
            ignoreCase: true,
            at: '20 evaluators[0]',
          },
          { kind: 'builtin', name: 'similarity check', uses: 'github/similarity', at: '23 evaluators[1]' },
        ],
      );
    });

    it('reads the machine-written llm evaluator with its choices and model', () => {
      const text = readFixture(REAL_PROMPTS_DIR, 'github-models/ghm-test_generate-generated.yml');
      const { suite, diagnostics } = promptEvalSuite(parse('j.prompt.yml', text));
      assert.deepEqual(diagnostics, []);
      assert.equal(suite.cases.length, 42);
      const [llm] = suite.evaluators;
      assert.equal(llm.kind, 'llm');
      assert.ok(llm.kind === 'llm');
      assert.equal(llm.modelId, 'openai/gpt-4o');
      assert.deepEqual(
        llm.choices.map((c) => c.score),
        [0, 0.25, 0.5, 0.75, 1],
      );
      assert.match(llm.prompt, /\{\{completion\}\}/);
    });

    it('locates a malformed evaluator at the field that is wrong', () => {
      const prompt = parse(
        'x.prompt.yml',
        `messages:
  - role: user
    content: '{{input}}'
testData:
  - input: hi
  - just text
evaluators:
  - name: both
    string: { contains: a }
    uses: github/similarity
  - name: two
    string: { contains: a, equals: b }
  - name: typo
    string: { contians: a }
  - name: bad
    uses: github/nope
`,
      );
      const shown = promptEvalSuite(prompt).diagnostics.map(formatDiagnostic);
      assert.deepEqual(shown, [
        'x.prompt.yml:6:5 testData[1]: must be a map of variable values, e.g. `input: hello`, found a string',
        'x.prompt.yml:14:15 evaluators[2].string.contians: unknown field "contians" (did you mean "contains"?)',
        'x.prompt.yml:16:11 evaluators[3].uses: unknown value "github/nope" (allowed: github/similarity, github/coherence, github/fluency, github/relevance, github/groundedness)',
      ]);
    });

    it('checks what the schema cannot: exactly one kind, exactly one comparison', () => {
      const prompt = parse(
        'x.prompt.yml',
        `messages: [{ role: user, content: hi }]
evaluators:
  - name: both
    string: { contains: a }
    uses: github/similarity
  - name: two
    string: { contains: a, equals: b }
  - name: none
`,
      );
      assert.deepEqual(promptEvalSuite(prompt).diagnostics.map(formatDiagnostic), [
        'x.prompt.yml:3:5 evaluators[0]: needs exactly one of string, llm or uses; has string and uses',
        'x.prompt.yml:7:13 evaluators[1].string: needs exactly one of equals, contains, startsWith, endsWith; has equals and contains',
        'x.prompt.yml:8:5 evaluators[2]: needs exactly one of string, llm or uses; has none',
      ]);
    });

    it('other formats carry no cases of their own', () => {
      const prompt = parse('a.prompt', '---\nmodel: m\n---\n<user>{{ x }}</user>\n');
      assert.deepEqual(promptEvalSuite(prompt).suite, { cases: [], evaluators: [] });
    });
  });

  describe('from a .tests.yaml dataset', () => {
    it('reads cases with variables, expected (as a variable) and names, and the evaluators', () => {
      const { suite, diagnostics } = parseEvalDataset(
        'p/t.tests.yaml',
        `# cases for t.prompt
tests:
  - name: greeting
    variables: { input: hello, customer: { name: Ann } }
    expected: Hello
  - variables: { input: bye }
evaluators:
  - name: starts politely
    string: { startsWith: '{{expected}}', ignoreCase: true }
`,
      );
      assert.deepEqual(diagnostics, []);
      assert.deepEqual(
        suite.cases.map((c) => [c.name, c.values, `${c.at.file}:${c.at.line} ${c.at.field}`]),
        [
          ['greeting', { input: 'hello', customer: { name: 'Ann' }, expected: 'Hello' }, 'p/t.tests.yaml:3 tests[0]'],
          ['case 2', { input: 'bye' }, 'p/t.tests.yaml:6 tests[1]'],
        ],
      );
      assert.deepEqual(suite.evaluators[0], {
        kind: 'string',
        name: 'starts politely',
        match: 'startsWith',
        text: '{{expected}}',
        ignoreCase: true,
        at: { file: 'p/t.tests.yaml', line: 8, column: 5, field: 'evaluators[0]' },
      });
    });

    it('gives every problem with file, line and field', () => {
      assert.deepEqual(errors('tests:\n  - variables: [a, b]\n    expect: x\n'), [
        'p/t.tests.yaml:3:5 tests[0].expect: unknown field "expect" (did you mean "expected"?)',
        'p/t.tests.yaml:2:16 tests[0].variables: must be a map of variable names to values, e.g. `input: hello`',
      ]);
      assert.deepEqual(errors('cases: []\n'), [
        'p/t.tests.yaml:1:1 tests: required field "tests" is missing',
        'p/t.tests.yaml:1:1 cases: unknown field "cases" (allowed: tests, evaluators)',
      ]);
      // Broken YAML is located too, and the schema is not consulted on it.
      const broken = errors('tests:\n  - variables: { a: 1 }\n    expected: [x\n');
      assert.equal(broken.length, 1);
      assert.match(broken[0], /^p\/t\.tests\.yaml:\d+:\d+ tests\[0\]\.expected/);
      assert.deepEqual(
        errors(`tests: []
evaluators:
  - name: grade
    llm: { prompt: 'rate {{completion}}', choices: [] }
`),
        [
          'p/t.tests.yaml:4:52 evaluators[0].llm.choices: must be a list of at least one choice, e.g. `- { choice: good, score: 1 }`',
        ],
      );
    });

    it('lives beside the prompt, named after it', () => {
      assert.equal(evalDatasetPath('prompts/support/triage.prompt.yml'), 'prompts/support/triage.tests.yaml');
      assert.equal(evalDatasetPath('greet.prompty'), 'greet.tests.yaml');
      assert.equal(evalDatasetPath('a/b.prompt'), 'a/b.tests.yaml');
      assert.equal(evalDatasetPath('a/b.prompt.md'), 'a/b.tests.yaml');
    });
  });

  describe('problems found before any request', () => {
    it('a case without a prompt variable, and an evaluator naming a variable a case lacks, located', () => {
      const prompt = parse('t.prompt', '---\nmodel: m\n---\n<user>{{ input }} {{ tone }}</user>\n');
      const { suite } = parseEvalDataset(
        't.tests.yaml',
        `tests:
  - variables: { input: a, tone: warm }
  - variables: { input: b }
evaluators:
  - name: exact
    string: { equals: '{{expected}}' }
`,
      );
      assert.deepEqual(suiteProblems(prompt, suite).map(formatDiagnostic), [
        't.tests.yaml:5:5 evaluators[0]: exact uses `expected`, which case 1 (t.tests.yaml:2) does not give',
        't.tests.yaml:3:5 tests[1]: case 2 gives no value for `tone`, which t.prompt uses',
        't.tests.yaml:5:5 evaluators[0]: exact uses `expected`, which case 2 (t.tests.yaml:3) does not give',
      ]);
    });
  });

  describe('the schema', () => {
    it('is what the shipped validator was generated from (run `npm run generate:validator` after changing it)', () => {
      const generated = readFileSync(join(ROOT, 'src/core/eval/generated/evalTestsValidator.js'), 'utf8');
      assert.ok(generated === evalTestsValidatorSource(), 'src/core/eval/generated/evalTestsValidator.js is stale');
    });

    it('names exactly the built-in evaluators PromptOps can grade', () => {
      const schema = EVAL_TESTS_SCHEMA as {
        definitions: { evaluator: { properties: { uses: { enum: string[] } } } };
      };
      assert.deepEqual(schema.definitions.evaluator.properties.uses.enum, Object.keys(BUILTIN_EVALUATORS));
    });

    it('is the file package.json contributes to VS Code for .tests.yaml files', () => {
      const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
        contributes: { yamlValidation: { fileMatch: string; url: string }[] };
      };
      const entry = manifest.contributes.yamlValidation.find((v) => v.fileMatch === '*.tests.yaml');
      assert.ok(entry);
      assert.deepEqual(JSON.parse(readFileSync(join(ROOT, entry.url), 'utf8')), EVAL_TESTS_SCHEMA);
    });
  });
});
