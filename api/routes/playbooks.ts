import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../router.js';
import { ApiError } from '../errors.js';
import { IdParam } from '../schemas.js';

const list = createRoute({
  method: 'get',
  path: '/playbooks',
  summary: 'Valid playbooks, and the files that failed validation with the reason',
  responses: { 200: { description: 'Playbooks', content: { 'application/json': { schema: z.looseObject({}) } } } },
});

const one = createRoute({
  method: 'get',
  path: '/playbooks/{id}',
  summary: 'One playbook as runs pin it (timers in ms, version from content)',
  request: { params: IdParam },
  responses: { 200: { description: 'The playbook', content: { 'application/json': { schema: z.looseObject({}) } } } },
});

export function playbookRoutes() {
  return router()
    .openapi(list, (c) => {
      const { playbooks, errors } = c.get('deps').playbooks;
      return c.json({
        playbooks: [...playbooks.values()].map(({ id, title, hazard, levels, version, description }) => ({ id, title, hazard, levels, version, description })),
        errors: errors.map((e) => ({ file: e.file, path: e.path, problem: e.problem })),
      }, 200);
    })
    .openapi(one, (c) => {
      const playbook = c.get('deps').playbooks.playbooks.get(c.req.valid('param').id);
      if (!playbook) throw new ApiError('not-found', `No valid playbook "${c.req.valid('param').id}"`);
      return c.json(playbook, 200);
    });
}
