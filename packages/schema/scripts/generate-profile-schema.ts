// Regenerates profile.schema.json from the zod model: npm run generate -w @arangops/schema
import { writeFileSync } from 'node:fs';
import { profileJsonSchema } from '../src/json-schema.js';

writeFileSync(new URL('../profile.schema.json', import.meta.url), profileJsonSchema());
