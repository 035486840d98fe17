import assert from 'node:assert/strict';
import { expressionRoots, templateVariables, vscodeInputVariables } from '../../../src/core/prompts';
import { withCpuMs } from '../../support/cpuTime';

describe('template variables', () => {
  const cases: [string, string, string[]][] = [
    ['spaced and unspaced', '{{ name }} and {{name}} and {{other}}', ['name', 'other']],
    ['dotted names give their root', '{{item.id}} {{ customer.firstName }}', ['customer', 'item']],
    [
      'Mustache comments and sections name nothing',
      '{{! note }}{{#items}}{{/items}}{{^empty}}{{/empty}}{{> partial}}',
      [],
    ],
    ['triple braces and &', '{{{raw}}} {{& other}}', ['other', 'raw']],
    [
      'Jinja loop variables are bound inside the loop',
      '{% for x in items %}{{x.name}}{{ loop.index }}{% endfor %}{{x}}',
      ['items', 'x'],
    ],
    ['tuple loop targets', '{% for k, v in pairs.items() %}{{k}}={{v}}{% endfor %}', ['pairs']],
    [
      'filters, tests and literals are not inputs',
      '{{ name | upper }} {% if a is not defined and b == "c" %}{% endif %}{{ 3 }}',
      ['a', 'b', 'name'],
    ],
    ['set binds a name', '{% set total = price * qty %}{{ total }}', ['price', 'qty']],
    ['whitespace control', '{{- name -}} {%- if flag -%}{%- endif -%}', ['flag', 'name']],
    ['{% without a keyword is text', '| {%} | {%} | {n} | {{ real }}', ['real']],
    ['Jinja comments and raw blocks', '{# {{ hidden }} #}{% raw %}{{ literal }}{% endraw %}{{ shown }}', ['shown']],
    ['unclosed tags are text', '{{ open and {% for', []],
    ['JSON around a variable', '{"CONTEXT": {{context}}, "ANSWER": {{answer}}}', ['answer', 'context']],
  ];
  for (const [title, text, expected] of cases) {
    it(title, () => assert.deepEqual(templateVariables([text]), expected));
  }

  it('finds roots in expressions', () => {
    assert.deepEqual(expressionRoots("user.name ~ ' ' ~ greeting(x=1) | title"), ['user']);
    assert.deepEqual(expressionRoots('items[index].id'), ['items', 'index']);
  });

  it('reads VS Code ${input:…} variables, with and without placeholders', () => {
    assert.deepEqual(
      vscodeInputVariables([
        'Use ${input:methodName} and ${input:limit:15} on ${selection} in ${file} ${workspaceFolder} ${input:methodName}',
      ]),
      ['limit', 'methodName'],
    );
  });

  it('stays linear on pathological input', () => {
    const { ms } = withCpuMs(() =>
      templateVariables(['{%'.repeat(200_000) + '%}', '{{'.repeat(200_000), '{#'.repeat(200_000) + '#}']),
    );
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms of CPU`);
  });
});
