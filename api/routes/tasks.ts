import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { pushSubscriptions } from '../../db/schema/index.js';
import { vapidKeys } from '../../activities/settings.js';
import { ApiError } from '../errors.js';
import { router } from '../router.js';
import { json } from '../openapi.js';
import { IdParam } from '../schemas.js';
import { actOnTask, listTasks, memberForTask, openLink } from '../tasks-service.js';

const TaskQuery = z.strictObject({ memberId: z.string().optional(), runId: z.string().optional(), crewId: z.string().optional(), status: z.string().optional() });
const TokenParam = z.object({ token: z.string().min(1).max(100).openapi({ param: { name: 'token', in: 'path' } }) });
const Subscription = z.strictObject({
  endpoint: z.url().refine((u) => u.startsWith('https://'), 'must be an https URL'),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) }),
});
const result = json(z.looseObject({ accepted: z.boolean() }), 'The run took the action');
const verbs = ['ack', 'done', 'help'] as const;

export function taskRoutes() {
  const app = router()
    .openapi(createRoute({ method: 'get', path: '/tasks', summary: "Tasks, filtered; a crew user sees only their crew's", request: { query: TaskQuery }, responses: { 200: json(z.object({ tasks: z.array(z.looseObject({ id: z.string() })) }), 'Tasks') } }), async (c) => {
      const principal = c.get('principal');
      const q = c.req.valid('query');
      if (principal?.kind === 'user' && principal.role === 'crew') {
        if (!principal.memberId) throw new ApiError('forbidden', 'This user is not linked to a crew member');
        return c.json({ tasks: await listTasks(c.get('deps'), { ...q, memberId: principal.memberId }) }, 200);
      }
      return c.json({ tasks: await listTasks(c.get('deps'), q) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/links/{token}', summary: 'Open a signed task link from an SMS', request: { params: TokenParam }, responses: { 200: json(z.looseObject({ task: z.looseObject({}) }), 'The task'), 404: { description: 'Invalid link' }, 403: { description: 'Expired link' } } }), async (c) => {
      const { task, memberId } = await openLink(c.get('deps'), c.req.valid('param').token);
      return c.json({ task, memberId }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/push/vapid-public-key', summary: 'The VAPID public key for push subscriptions', responses: { 200: json(z.object({ publicKey: z.string() }), 'Key') } }), async (c) => {
      const { db, config } = c.get('deps');
      return c.json({ publicKey: (await vapidKeys(db, config.vapid)).publicKey }, 200);
    })
    .openapi(createRoute({ method: 'post', path: '/push/subscriptions', summary: "Subscribe this device to the signed-in crew member's notifications", request: { body: { required: true, content: { 'application/json': { schema: Subscription } } } }, responses: { 201: json(z.object({ id: z.string() }), 'Subscribed') } }), async (c) => {
      const principal = c.get('principal');
      if (principal?.kind !== 'user' || !principal.memberId) throw new ApiError('forbidden', 'Only a user linked to a crew member can subscribe a device');
      return c.json({ id: await subscribe(c.get('deps').db, principal.memberId, c.req.valid('json'), c.req.header('user-agent')) }, 201);
    })
    .openapi(createRoute({ method: 'post', path: '/links/{token}/push-subscriptions', summary: 'Subscribe this device to the notifications of the member the link was sent to', request: { params: TokenParam, body: { required: true, content: { 'application/json': { schema: Subscription } } } }, responses: { 201: json(z.object({ id: z.string() }), 'Subscribed') } }), async (c) => {
      const { memberId } = await openLink(c.get('deps'), c.req.valid('param').token);
      return c.json({ id: await subscribe(c.get('deps').db, memberId, c.req.valid('json'), c.req.header('user-agent')) }, 201);
    })
    .openapi(createRoute({ method: 'delete', path: '/push/subscriptions/{id}', summary: 'Remove a device subscription (its owner or an admin)', request: { params: IdParam }, responses: { 204: { description: 'Removed' } } }), async (c) => {
      const { db } = c.get('deps');
      const principal = c.get('principal');
      const sub = await db.query.pushSubscriptions.findFirst({ where: eq(pushSubscriptions.id, c.req.valid('param').id) });
      if (!sub) throw new ApiError('not-found', 'No such subscription');
      if (principal?.kind === 'user' && principal.role === 'crew' && principal.memberId !== sub.memberId) throw new ApiError('forbidden', 'Not your subscription');
      await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, sub.id));
      return c.body(null, 204);
    });
  for (const verb of verbs) {
    app.openapi(createRoute({ method: 'post', path: `/tasks/{id}/${verb}`, summary: `A crew member's ${verb} from the crew app`, request: { params: IdParam }, responses: { 200: result } }), async (c) => {
      const principal = c.get('principal');
      const taskId = c.req.valid('param').id;
      let by = c.get('actor');
      if (principal?.kind === 'user' && principal.role === 'crew') by = (await memberForTask(c.get('deps'), principal.memberId, taskId)).id;
      return c.json(await actOnTask(c.get('deps'), taskId, verb, by, 'app'), 200);
    });
    app.openapi(createRoute({ method: 'post', path: `/links/{token}/${verb}`, summary: `${verb} through the signed link in the message`, request: { params: TokenParam }, responses: { 200: result } }), async (c) => {
      const { task, memberId } = await openLink(c.get('deps'), c.req.valid('param').token);
      return c.json(await actOnTask(c.get('deps'), task.id, verb, memberId, 'link'), 200);
    });
  }
  return app;
}

async function subscribe(db: import('../../db/client.js').Db, memberId: string, sub: z.infer<typeof Subscription>, userAgent: string | undefined): Promise<string> {
  const id = `push_${randomUUID()}`;
  await db.insert(pushSubscriptions).values({ id, memberId, endpoint: sub.endpoint, p256dh: sub.keys.p256dh, auth: sub.keys.auth, userAgent: userAgent ?? null, createdAt: new Date().toISOString() })
    // The same device subscribing again moves to whoever subscribed it last.
    .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: { memberId, p256dh: sub.keys.p256dh, auth: sub.keys.auth } });
  return (await db.query.pushSubscriptions.findFirst({ where: eq(pushSubscriptions.endpoint, sub.endpoint) }))?.id ?? id;
}
