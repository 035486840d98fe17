import Ajv from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import accessSchemaJson from '../../../schemas/access.schema.json';

/**
 * Keywords VS Code's JSON/YAML language services read for friendlier messages; Ajv's
 * strict mode rejects unknown keywords, so they are declared as annotations. The mapper
 * in schemaDiagnostics.ts reads them too, so both places say the same thing.
 */
export const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

/** The Ajv set-up the access file is validated with (build time and tests only: Ajv is not shipped in the bundles). */
export function createAccessSchemaAjv(options: { source?: boolean } = {}): Ajv {
  // verbose: errors carry their parentSchema, where the messages above live.
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    verbose: true,
    code: { source: options.source ?? false, esm: false },
  });
  ajv.addVocabulary([...MESSAGE_KEYWORDS]);
  return ajv;
}

/**
 * The validator as standalone JavaScript (generated/accessValidator.js). Compiling the
 * schema at run time cost the extension host 80–180 ms on the first parse and 127 KB of
 * bundle; the generated code needs only two tiny Ajv runtime helpers.
 */
export function accessValidatorSource(): string {
  const ajv = createAccessSchemaAjv({ source: true });
  const header =
    '// Generated from schemas/access.schema.json by `npm run generate:validator` ' +
    '(src/core/access/accessSchemaAjv.ts). Do not edit; a unit test fails when it is stale.\n';
  return `${header}${standaloneCode(ajv, ajv.compile(accessSchemaJson))}\n`;
}
