import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics';
import type { YamlSource } from '../yamlSource';
import { suggestionFor, suggestionOrList } from './suggest';

type PathSegment = string | number;

/** Where the schema defines an action name (an enum of ACTIONS; the schema test holds them equal). */
const ACTION_SCHEMA_PATH = '#/definitions/action/';

/**
 * Ajv's errors as located diagnostics in the user's words: an unknown key points at the
 * key and suggests the closest allowed one; a wrong value points at the value and says
 * what is expected (the schema's `errorMessage`, the text VS Code shows too).
 */
export function schemaDiagnostics(source: YamlSource, data: unknown, errors: readonly ErrorObject[]): Diagnostic[] {
  // A value of the wrong type also fails its enum/pattern/const; the type error says it all.
  const typeErrorPaths = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  const out: Diagnostic[] = [];
  for (const error of errors) {
    if (error.keyword !== 'type' && typeErrorPaths.has(error.instancePath) && error.propertyName === undefined)
      continue;
    const d = diagnosticFor(source, data, error);
    if (d) out.push(d);
  }
  return out;
}

function diagnosticFor(source: YamlSource, data: unknown, error: ErrorObject): Diagnostic | undefined {
  const path = instancePath(data, error.instancePath);
  const schema = schemaObject(error.parentSchema);
  switch (error.keyword) {
    // Reported by the inner error, which carries `propertyName`.
    case 'propertyNames':
    // falls through: Ajv names only the first duplicate; semanticChecks.ts reports every one.
    case 'uniqueItems':
      return undefined;
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys(schemaObject(schema.properties));
      return source.diagnostic([...path, key], `unknown field "${key}"${suggestionOrList(key, allowed, 'allowed')}`, {
        at: 'key',
        suggestion: suggestionFor(key, allowed),
      });
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      const propertySchema = schemaObject(schemaObject(schema.properties)[missing]);
      const hint = 'const' in propertySchema ? `; add "${missing}: ${JSON.stringify(propertySchema.const)}"` : '';
      return source.diagnostic([...path, missing], `required field "${missing}" is missing${hint}`);
    }
    case 'enum': {
      const value = valueAt(data, path);
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      if (error.schemaPath.startsWith(ACTION_SCHEMA_PATH)) {
        return source.diagnostic(
          path,
          `unknown action "${String(value)}"${suggestionOrList(String(value), allowed, 'actions')}`,
          { suggestion: suggestionFor(String(value), allowed) },
        );
      }
      return source.diagnostic(
        path,
        `unknown value "${String(value)}"${suggestionOrList(String(value), allowed, 'allowed')}`,
        { suggestion: suggestionFor(String(value), allowed) },
      );
    }
    default:
      break;
  }
  if (error.propertyName !== undefined) {
    // A map key that breaks `propertyNames`: point at the key itself.
    return source.diagnostic([...path, error.propertyName], messageFromSchema(error, schema) ?? 'is not a valid name', {
      at: 'key',
    });
  }
  if (error.keyword === 'type' && path.length === 0) {
    return source.diagnostic(
      path,
      `the access file must be a map of settings starting with "version: 1", not ${kindOf(data)}`,
    );
  }
  return source.diagnostic(path, messageFromSchema(error, schema) ?? fallbackMessage(error, schema));
}

function messageFromSchema(error: ErrorObject, schema: Record<string, unknown>): string | undefined {
  const patternMessage = error.keyword === 'pattern' ? schema.patternErrorMessage : undefined;
  const message = patternMessage ?? schema.errorMessage;
  return typeof message === 'string' ? message : undefined;
}

function fallbackMessage(error: ErrorObject, schema: Record<string, unknown>): string {
  if (error.keyword === 'type' && error.params.type === 'object') {
    const keys = Object.keys(schemaObject(schema.properties));
    return keys.length ? `must be a map with the keys ${keys.join(', ')}` : 'must be a map';
  }
  if (error.keyword === 'type') return `must be ${TYPE_NOUNS[String(error.params.type)] ?? String(error.params.type)}`;
  return error.message ?? 'is not valid here';
}

const TYPE_NOUNS: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a map',
};

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'true/false';
  return 'a single value';
}

/** A JSON pointer as field path segments; array indices become numbers so YamlSource finds sequence items. */
function instancePath(data: unknown, pointer: string): PathSegment[] {
  if (pointer === '') return [];
  const segments: PathSegment[] = [];
  let node = data;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment: PathSegment = Array.isArray(node) ? Number(key) : key;
    segments.push(segment);
    node = childOf(node, segment);
  }
  return segments;
}

function valueAt(data: unknown, path: readonly PathSegment[]): unknown {
  return path.reduce<unknown>((node, segment) => childOf(node, segment), data);
}

function childOf(node: unknown, segment: PathSegment): unknown {
  if (typeof node !== 'object' || node === null) return undefined;
  return Object.prototype.hasOwnProperty.call(node, segment)
    ? (node as Record<PathSegment, unknown>)[segment]
    : undefined;
}

function schemaObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}
