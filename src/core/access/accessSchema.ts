import type { ErrorObject } from 'ajv';
import accessSchemaJson from '../../../schemas/access.schema.json';
import type { AccessFileDocument } from './accessFileDocument';
// The generated validator is CommonJS (ajv standalone output); import-equals keeps its types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import validate = require('./generated/accessValidator');

/**
 * The JSON Schema of the access file, the same file VS Code's YAML extension uses for
 * completion and hover (package.json `yamlValidation`), so editor and CLI agree on shape.
 */
export const ACCESS_SCHEMA: object = accessSchemaJson;

/**
 * The data as an AccessFileDocument when it fits the schema, else every way it does not
 * (allErrors, so all problems are reported at once).
 */
export function validateAccessFile(data: unknown): { document?: AccessFileDocument; errors: ErrorObject[] } {
  if (validate(data)) return { document: data as AccessFileDocument, errors: [] };
  return { errors: [...(validate.errors ?? [])] };
}
