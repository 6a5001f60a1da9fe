// Writes src/sandbox/samsara/sdk-vocabulary.ts: the field tables of the Samsara requests and reads the
// sandbox serves, read off the official SDK's type declarations (@samsarahq/samsara, a devDependency)
// with the TypeScript compiler. Run by hand after an SDK upgrade (`npm run sandbox:samsara-vocabulary`);
// test/samsara-vocabulary.test.ts fails while the installed SDK and the committed table disagree, so
// a new SDK version shows every change in review. `--check` prints the difference and exits 1 instead
// of writing.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderVocabulary, samsaraSdkVocabulary } from './samsara-sdk-reader.ts';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'sandbox', 'samsara', 'sdk-vocabulary.ts');

const packageJson = createRequire(import.meta.url).resolve('@samsarahq/samsara/package.json');
const text = renderVocabulary(samsaraSdkVocabulary(dirname(packageJson)));

if (process.argv.includes('--check')) {
  const current = readFileSync(OUT, 'utf8');
  if (current !== text) {
    console.error(`${relative(process.cwd(), OUT)} is out of date with the installed SDK; run npm run sandbox:samsara-vocabulary`);
    process.exit(1);
  }
  console.log('up to date');
} else {
  writeFileSync(OUT, text);
  console.log(`wrote ${relative(process.cwd(), OUT)}`);
}
