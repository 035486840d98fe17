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
