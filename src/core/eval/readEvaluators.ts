import { fieldPath, type Diagnostic } from '../diagnostics';
import { isPlainRecord } from '../prompts/metadataSource';
import type { YamlSource } from '../yamlSource';
import type { Evaluator, GradingChoice, SourceLocation, StringMatch } from './evalSuite';

const KINDS = ['string', 'llm', 'uses'] as const;
const MATCHES: readonly StringMatch[] = ['equals', 'contains', 'startsWith', 'endsWith'];

/**
 * The evaluators of an `evaluators:` list the schema has accepted, with what the schema
 * cannot say: each names exactly one kind, and a string evaluator exactly one comparison.
 * Each problem is located at the evaluator in `yaml`; a faulty evaluator is left out.
 * Without `ignoreCase`, a string evaluator compares as GitHub Models does (`equals` exactly,
 * the others ignoring case), so GitHub's own files judge the same here.
 */
export function readEvaluators(yaml: YamlSource, list: unknown, diagnostics: Diagnostic[]): Evaluator[] {
  if (!Array.isArray(list)) return [];
  const out: Evaluator[] = [];
  list.forEach((item: unknown, i) => {
    if (!isPlainRecord(item)) return;
    const path = ['evaluators', i];
    const at = location(yaml, path);
    const name = typeof item.name === 'string' ? item.name : `evaluator ${i + 1}`;
    const kinds = KINDS.filter((k) => item[k] !== undefined && item[k] !== null);
    if (kinds.length !== 1) {
      const found = kinds.length ? `has ${kinds.join(' and ')}` : 'has none';
      diagnostics.push(yaml.diagnostic(path, `needs exactly one of string, llm or uses; ${found}`));
      return;
    }
    if (kinds[0] === 'uses') {
      out.push({ kind: 'builtin', name, uses: String(item.uses), at });
    } else if (kinds[0] === 'string') {
      const spec = item.string as Record<string, unknown>;
      const matches = MATCHES.filter((m) => typeof spec[m] === 'string');
      if (matches.length !== 1) {
        const found = matches.length ? `has ${matches.join(' and ')}` : 'has none';
        diagnostics.push(
          yaml.diagnostic([...path, 'string'], `needs exactly one of equals, contains, startsWith, endsWith; ${found}`),
        );
        return;
      }
      const match = matches[0];
      out.push({
        kind: 'string',
        name,
        match,
        text: spec[match] as string,
        ignoreCase: typeof spec.ignoreCase === 'boolean' ? spec.ignoreCase : match !== 'equals',
        at,
      });
    } else {
      const spec = item.llm as Record<string, unknown>;
      out.push({
        kind: 'llm',
        name,
        prompt: spec.prompt as string,
        choices: (spec.choices as GradingChoice[]).map(({ choice, score }) => ({ choice, score })),
        ...(typeof spec.modelId === 'string' ? { modelId: spec.modelId } : {}),
        ...(typeof spec.systemPrompt === 'string' ? { systemPrompt: spec.systemPrompt } : {}),
        at,
      });
    }
  });
  return out;
}

export function location(yaml: YamlSource, path: readonly (string | number)[]): SourceLocation {
  const p = yaml.locate(path);
  return { file: yaml.file, line: p.line, column: p.column, field: fieldPath(path) };
}
