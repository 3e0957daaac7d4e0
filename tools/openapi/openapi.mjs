// node tools/openapi/openapi.mjs validate <document.json>
//   Validates an OpenAPI document with @readme/openapi-parser (independent of the .NET generator); exit 1 when invalid.
// node tools/openapi/openapi.mjs generate <document.json> <output.d.ts>
//   Writes the TypeScript types openapi-typescript generates for it (what Frontend/src/api/schema.d.ts holds).
// Run `npm ci` in this folder first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';

const [command, document, output] = process.argv.slice(2);

if (command === 'validate' && document) {
  const result = await validate(JSON.parse(fs.readFileSync(document, 'utf8')));
  if (!result.valid) {
    console.error(JSON.stringify(result.errors, null, 2));
    process.exit(1);
  }
  console.log(`${document}: valid (${result.warnings?.length ?? 0} warnings)`);
} else if (command === 'generate' && document && output) {
  const cli = path.join(import.meta.dirname, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  const run = spawnSync(process.execPath, [cli, document, '--output', output], { stdio: 'inherit' });
  process.exit(run.status ?? 1);
} else {
  console.error('usage: openapi.mjs validate <document.json> | generate <document.json> <output.d.ts>');
  process.exit(2);
}
