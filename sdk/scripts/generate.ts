// `npm run sdk:generate`: writes the client's generated types from the current routes and schemas.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GENERATED_PATH, generateClientTypes } from './schema.ts';

const target = fileURLToPath(new URL(`../../${GENERATED_PATH}`, import.meta.url));
writeFileSync(target, await generateClientTypes());
process.stdout.write(`wrote ${GENERATED_PATH}\n`);
