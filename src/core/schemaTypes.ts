// TypeBox's builders, under TypeBox's own names (`Type.Object`, `Type.String`, …), for the
// records defined once (their TypeScript type, JSON Schema, DTO and columns follow). Not
// `import { Type } from 'typebox'`: that namespace keeps all of TypeBox (~77 KB minified) in
// every bundle that reads a release lock, the runtime loader included; these are ~8 KB.
import {
  Array as ArrayType,
  Boolean as BooleanType,
  Integer,
  Literal,
  Null,
  Number as NumberType,
  Object as ObjectType,
  Optional,
  String as StringType,
  Union,
  Unsafe,
  type Static,
  type TSchema,
  type TUnsafe,
} from 'typebox';

export type { Static, TSchema } from 'typebox';

export const Type = {
  Array: ArrayType,
  Boolean: BooleanType,
  Integer,
  Literal,
  Null,
  Number: NumberType,
  Object: ObjectType,
  Optional,
  String: StringType,
  Union,
  Unsafe,
};

/**
 * `T | null` written as `type: [T's type, 'null']`, not `anyOf`: fast-json-stringify
 * serialises an anyOf by validating the value against each branch.
 */
export function Nullable<T extends TSchema & { type: string }>(schema: T): TUnsafe<Static<T> | null> {
  return Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] });
}

/** One of some strings, as `{ type: 'string', enum }` (a union of literals would be an anyOf). */
export function StringEnum<const Values extends readonly string[]>(
  values: Values,
  options: { description?: string } = {},
): TUnsafe<Values[number]> {
  return Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });
}
