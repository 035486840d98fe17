import evalTestsSchemaJson from '../../../schemas/eval-tests.schema.json';
import { schemaDiagnostics } from '../access/schemaDiagnostics';
import type { Diagnostic } from '../diagnostics';
import type { YamlSource } from '../yamlSource';
// The generated validator is CommonJS (ajv standalone output); import-equals keeps its types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import validate = require('./generated/evalTestsValidator');

/** The JSON Schema of `<prompt>.tests.yaml`, also the one VS Code's YAML extension uses (package.json `yamlValidation`). */
export const EVAL_TESTS_SCHEMA: object = evalTestsSchemaJson;

/**
 * Every way `data` (a mapping, read from `yaml`) breaks the `.tests.yaml` schema, located
 * in `yaml`. A prompt file's `evaluators` are checked with the same schema by handing in
 * `{ tests: [], evaluators }`: the field paths are the same in both files.
 */
export function evalTestsSchemaDiagnostics(yaml: YamlSource, data: Record<string, unknown>): Diagnostic[] {
  if (validate(data)) return [];
  return schemaDiagnostics(yaml, data, validate.errors ?? []);
}
