/** `npm run generate:validator`: writes the access file's standalone validator after the schema changes. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accessValidatorSource } from '../src/core/access/accessSchemaAjv';

const out = join(__dirname, '../src/core/access/generated/accessValidator.js');
writeFileSync(out, accessValidatorSource());
console.log(`wrote ${out}`);
