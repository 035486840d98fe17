import type { ErrorObject } from 'ajv';

/** The `.tests.yaml` JSON Schema compiled ahead of time by Ajv (see evalTestsSchemaAjv.ts). */
declare const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
export = validate;
