import { LocatedError } from '../diagnostics';
import { isPlainRecord } from '../prompts/metadataSource';
import type { ParsedPrompt } from '../prompts/promptModel';

export type TemplateEngine = 'jinja2' | 'mustache';

const ENGINES: ReadonlySet<string> = new Set<TemplateEngine>(['jinja2', 'mustache']);

/**
 * The engine a `.prompty` file names: `template: mustache` (v1), `template: {type|format: …}`
 * or `template: {format: {kind: …}}` (v2). Prompty's default is Jinja2.
 */
export function promptyTemplateEngine(prompt: ParsedPrompt): TemplateEngine {
  const value = prompt.model.metadata.template;
  let name: unknown = value;
  if (isPlainRecord(value)) {
    const format = value.format ?? value.type;
    name = isPlainRecord(format) ? format.kind : format;
  }
  if (name === undefined || name === null) return 'jinja2';
  const engine = typeof name === 'string' ? name.toLowerCase() : name;
  if (engine === 'jinja') return 'jinja2';
  if (typeof engine === 'string' && ENGINES.has(engine)) return engine as TemplateEngine;
  const at = prompt.locateMetadata('template') ?? { line: 1, column: 1 };
  throw new LocatedError([
    {
      file: prompt.path,
      line: at.line,
      column: at.column,
      field: 'template',
      message: `unknown template engine ${JSON.stringify(name)}: use jinja2 or mustache`,
      severity: 'error',
    },
  ]);
}
