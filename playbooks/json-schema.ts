import { z } from 'zod';
import { playbookSchema } from './schema.js';

/** The JSON Schema editors use to check playbook files, generated from the zod schema that loads them. */
export function playbookJsonSchema(): string {
  const schema = z.toJSONSchema(playbookSchema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ ...schema, title: 'Stormdesk playbook' }, null, 2)}\n`;
}
