// `npm run playbooks:schema`: regenerates playbooks/playbook.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { playbookJsonSchema } from '../playbooks/json-schema.js';

writeFileSync(new URL('../playbooks/playbook.schema.json', import.meta.url), playbookJsonSchema());
console.log('wrote playbooks/playbook.schema.json');
