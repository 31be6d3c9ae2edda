// Writes configs/respond-audit.schema.json from the zod schema (the single source of truth).
import { writeFileSync } from 'node:fs';
import { toJsonSchema } from '../dist/config/schema.js';

const out = new URL('../configs/respond-audit.schema.json', import.meta.url);
writeFileSync(out, JSON.stringify(toJsonSchema(), null, 2) + '\n');
console.log(`wrote ${out.pathname}`);
