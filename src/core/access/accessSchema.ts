import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import accessSchemaJson from '../../../schemas/access.schema.json';
import type { AccessFileDocument } from './accessFileDocument';

/**
 * The JSON Schema of the access file, the same file VS Code's YAML extension uses for
 * completion and hover (package.json `yamlValidation`), so editor and CLI agree on shape.
 */
export const ACCESS_SCHEMA: object = accessSchemaJson;

/**
 * Keywords VS Code's JSON/YAML language services read for friendlier messages; Ajv's
 * strict mode rejects unknown keywords, so they are declared as annotations. The mapper
 * in schemaDiagnostics.ts reads them too, so both places say the same thing.
 */
export const MESSAGE_KEYWORDS = ['errorMessage', 'patternErrorMessage'] as const;

export function createAccessSchemaAjv(): Ajv {
  // verbose: errors carry their parentSchema, where the messages above live.
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  ajv.addVocabulary([...MESSAGE_KEYWORDS]);
  return ajv;
}

let compiled: ValidateFunction<AccessFileDocument> | undefined;

/** Compiled on first use, once per process: compiling costs far more than validating. */
function accessValidator(): ValidateFunction<AccessFileDocument> {
  compiled ??= createAccessSchemaAjv().compile<AccessFileDocument>(ACCESS_SCHEMA);
  return compiled;
}

/**
 * The data as an AccessFileDocument when it fits the schema, else every way it does not
 * (allErrors, so all problems are reported at once).
 */
export function validateAccessFile(data: unknown): { document?: AccessFileDocument; errors: ErrorObject[] } {
  const validate = accessValidator();
  if (validate(data)) return { document: data, errors: [] };
  return { errors: [...(validate.errors ?? [])] };
}
