import { z } from 'zod';
import { profileSchema } from './model.js';

/** The JSON Schema of schema.yaml for editors (committed as profile.schema.json; a test keeps it current). */
export function profileJsonSchema(): string {
  const schema = z.toJSONSchema(profileSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify({ ...schema, title: 'arangops schema profile' }, null, 2)}\n`;
}
