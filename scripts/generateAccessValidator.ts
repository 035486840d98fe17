/** `npm run generate:validator`: writes the standalone validators after a schema under schemas/ changes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessValidatorSource } from '../src/core/access/accessSchemaAjv';
import { evalTestsValidatorSource } from '../src/core/eval/evalTestsSchemaAjv';

const outputs: [string, string][] = [
  ['../src/core/access/generated/accessValidator.js', accessValidatorSource()],
  ['../src/core/eval/generated/evalTestsValidator.js', evalTestsValidatorSource()],
];
for (const [path, source] of outputs) {
  const out = join(__dirname, path);
  writeFileSync(out, source);
  console.log(`wrote ${out}`);
}
