import type { ErrorObject } from 'ajv';

/** The access file's JSON Schema compiled ahead of time by Ajv (see accessSchemaAjv.ts). */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export = validate;
