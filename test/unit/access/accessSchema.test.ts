import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ACCESS_SCHEMA, validateAccessFile, parseAccessFile } from '../../../src/core/access';
import { accessValidatorSource, MESSAGE_KEYWORDS } from '../../../src/core/access/accessSchemaAjv';
import { ACTIONS } from '../../../src/core/policy/actions';
import { VALID_EXAMPLES } from './examples';
import { fixtureInvalidCases, INLINE_INVALID_CASES } from './invalidCases';

const ROOT = join(__dirname, '../../..');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every (sub)schema object, with its JSON pointer. */
function* subschemas(node: Json, pointer = '#'): Generator<[string, { [key: string]: Json }]> {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) return;
  yield [pointer, node];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'enum' || key === 'const' || key === 'required') continue;
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      yield* subschemas(value, `${pointer}/${key}`);
  }
}

const schema = ACCESS_SCHEMA as Json;

describe('access JSON Schema', () => {
  it('is a valid draft-07 schema that compiles under Ajv strict mode', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    ajv.addVocabulary([...MESSAGE_KEYWORDS]);
    assert.equal(ajv.validateSchema(ACCESS_SCHEMA), true, JSON.stringify(ajv.errors));
    assert.doesNotThrow(() => ajv.compile(ACCESS_SCHEMA));
    assert.equal((schema as { $schema: string }).$schema, 'http://json-schema.org/draft-07/schema#');
  });

  it('is what the shipped validator was generated from (run `npm run generate:validator` after changing it)', () => {
    const generated = readFileSync(join(ROOT, 'src/core/access/generated/accessValidator.js'), 'utf8');
    assert.ok(generated === accessValidatorSource(), 'src/core/access/generated/accessValidator.js is stale');
  });

  it('is the file package.json contributes to VS Code for the access file', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      contributes: { yamlValidation: { fileMatch: string; url: string }[] };
    };
    const entry = manifest.contributes.yamlValidation.find((v) => v.fileMatch === '.promptops/access.yaml');
    assert.ok(entry);
    assert.deepEqual(JSON.parse(readFileSync(join(ROOT, entry.url), 'utf8')), ACCESS_SCHEMA);
  });

  it('describes every property (shown as hover and completion help in VS Code)', () => {
    const undocumented: string[] = [];
    for (const [pointer, node] of subschemas(schema)) {
      const properties = node.properties;
      if (typeof properties !== 'object' || properties === null || Array.isArray(properties)) continue;
      for (const [name, property] of Object.entries(properties)) {
        const description = (property as { description?: unknown }).description;
        if (typeof description !== 'string' || description === '') undocumented.push(`${pointer}/properties/${name}`);
      }
    }
    assert.deepEqual(undocumented, []);
  });

  it('closes every object with fixed keys', () => {
    for (const [pointer, node] of subschemas(schema)) {
      if (node.properties !== undefined) assert.equal(node.additionalProperties, false, pointer);
    }
  });

  it('lists exactly the actions the policy code knows', () => {
    const definitions = (schema as { definitions: { action: { enum: string[] } } }).definitions;
    assert.deepEqual(definitions.action.enum, [...ACTIONS]);
  });

  describe('agrees with the parser', () => {
    for (const [name, text] of Object.entries(VALID_EXAMPLES)) {
      it(`accepts the valid example "${name}" on its own`, () => {
        assert.ok(parseAccessFile(text).policy);
        assert.deepEqual(validateAccessFile(parseYaml(text)).errors, []);
      });
    }
    for (const c of [...INLINE_INVALID_CASES, ...fixtureInvalidCases()]) {
      if (c.structural === undefined) continue;
      it(`${c.structural ? 'rejects' : 'accepts (only semantics reject)'}: ${c.name}`, () => {
        const { errors } = validateAccessFile(parseYaml(c.text));
        assert.equal(
          errors.length > 0,
          c.structural,
          JSON.stringify(errors.map((e) => `${e.instancePath} ${e.message}`)),
        );
      });
    }
  });
});
