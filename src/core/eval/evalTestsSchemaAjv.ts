import standaloneCode from 'ajv/dist/standalone';
import evalTestsSchemaJson from '../../../schemas/eval-tests.schema.json';
import { createAccessSchemaAjv } from '../access/accessSchemaAjv';

/**
 * The `.tests.yaml` validator as standalone JavaScript (generated/evalTestsValidator.js),
 * compiled with the same Ajv set-up as the access file's so the two schemas speak alike.
 */
export function evalTestsValidatorSource(): string {
  const ajv = createAccessSchemaAjv({ source: true });
  const header =
    '// Generated from schemas/eval-tests.schema.json by `npm run generate:validator` ' +
    '(src/core/eval/evalTestsSchemaAjv.ts). Do not edit; a unit test fails when it is stale.\n';
  return `${header}${standaloneCode(ajv, ajv.compile(evalTestsSchemaJson))}\n`;
}
