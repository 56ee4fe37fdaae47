import type { Role, Scope } from '../../db/schema/access.js';

/**
 * Who may call each route: every route of the app must have an entry (a test enumerates the
 * routes and fails on any without one), and a route without an entry is refused at runtime.
 */
export type Policy =
  | { public: true }
  | { public?: false; roles: readonly Role[]; scopes: readonly Scope[] };

const PUBLIC: Policy = { public: true };
const officers = ['admin', 'duty-officer'] as const;
const coordinators = ['admin', 'duty-officer', 'drill-coordinator'] as const;
const everyone = ['admin', 'duty-officer', 'drill-coordinator', 'crew', 'viewer'] as const;
const staff = ['admin', 'duty-officer', 'drill-coordinator', 'viewer'] as const;
const read = (roles: readonly Role[] = staff): Policy => ({ roles, scopes: ['read'] });
const adminOnly: Policy = { roles: ['admin'], scopes: ['admin'] };

export const policies: Record<string, Policy> = {
  'GET /healthz': PUBLIC,
  'GET /api/openapi.json': PUBLIC,
  'POST /api/auth/login': PUBLIC,
  'POST /api/auth/logout': { roles: everyone, scopes: [] },
  'GET /api/auth/me': { roles: everyone, scopes: ['read'] },
  // A person's own language; keys have none to change.
  'PATCH /api/auth/me': { roles: everyone, scopes: [] },
  // The live board's stream of run changes (same rule as listing runs).
  'GET /api/events': read(),

  'POST /api/runs': { roles: [...officers, 'drill-coordinator'], scopes: ['runs:write'] },
  'GET /api/runs': read(),
  'GET /api/runs/:id': read(),
  'GET /api/runs/:id/report': read(),
  'GET /api/runs/:id/report.html': read(),
  'GET /api/runs/:id/report.csv': read(),
  'POST /api/runs/:id/actions': { roles: [...officers, 'drill-coordinator'], scopes: ['runs:write'] },
  'GET /api/playbooks': read(),

  // Drills: coordinators (and officers) plan and fire them; everyone on staff reads the reports.
  'POST /api/drills': { roles: coordinators, scopes: ['runs:write'] },
  'GET /api/drills': read(),
  'GET /api/drills/:id': read(),
  'PATCH /api/drills/:id': { roles: coordinators, scopes: ['runs:write'] },
  'POST /api/drills/:id/schedule': { roles: coordinators, scopes: ['runs:write'] },
  'POST /api/drills/:id/pause': { roles: coordinators, scopes: ['runs:write'] },
  'POST /api/drills/:id/resume': { roles: coordinators, scopes: ['runs:write'] },
  'POST /api/drills/:id/trigger': { roles: coordinators, scopes: ['runs:write'] },
  'GET /api/drills/:id/runs': read(),
  'GET /api/drills/:id/runs/:runId/report': read(),
  'GET /api/drills/:id/runs/:runId/report.html': read(),
  'GET /api/drills/:id/runs/:runId/report.csv': read(),
  'GET /api/playbooks/:id': read(),

  // Crews: their tasks from the app (session) or through the signed link in a message (public, token-checked).
  'GET /api/tasks': read(everyone),
  'POST /api/tasks/:id/ack': { roles: [...officers, 'crew'], scopes: ['runs:write'] },
  'POST /api/tasks/:id/done': { roles: [...officers, 'crew'], scopes: ['runs:write'] },
  'POST /api/tasks/:id/help': { roles: [...officers, 'crew'], scopes: ['runs:write'] },
  'GET /api/links/:token': PUBLIC,
  'POST /api/links/:token/ack': PUBLIC,
  'POST /api/links/:token/done': PUBLIC,
  'POST /api/links/:token/help': PUBLIC,
  'POST /api/links/:token/push-subscriptions': PUBLIC,
  'GET /api/push/vapid-public-key': PUBLIC,
  'POST /api/push/subscriptions': { roles: ['crew'], scopes: [] },
  'DELETE /api/push/subscriptions/:id': { roles: ['admin', 'crew'], scopes: ['admin'] },
  // Twilio's webhooks: public, each request's X-Twilio-Signature is checked against the public URL.
  'POST /api/twilio/sms': PUBLIC,
  'POST /api/twilio/status': PUBLIC,

  'POST /api/feeds/cap': { roles: officers, scopes: ['feeds:write'] },
  'POST /api/feeds/nws': { roles: officers, scopes: ['feeds:write'] },
  'POST /api/feeds/qweather': { roles: officers, scopes: ['feeds:write'] },
  'GET /api/feeds': read(),
  'POST /api/feeds': { roles: officers, scopes: ['admin'] },
  'DELETE /api/feeds/:id': { roles: officers, scopes: ['admin'] },
  'POST /api/feeds/:id/poll': { roles: officers, scopes: ['feeds:write'] },
  'GET /api/triggers': read(),
  'POST /api/sensors/readings': { roles: officers, scopes: ['sensors:write'] },
  'GET /api/sensors': read(),
  'GET /api/sensors/:id/readings': read(),
  'GET /api/sensors/rules': read(),
  'POST /api/sensors/rules': { roles: officers, scopes: ['admin'] },
  'DELETE /api/sensors/rules/:id': { roles: officers, scopes: ['admin'] },
  'POST /api/facilities/:id/status': { roles: officers, scopes: ['sensors:write'] },

  'GET /api/zones': read(),
  'POST /api/zones': { roles: ['admin'], scopes: ['admin'] },
  'GET /api/facilities': read(),
  'POST /api/facilities': { roles: ['admin'], scopes: ['admin'] },

  'GET /api/crews': read(),
  'POST /api/crews': { roles: officers, scopes: ['admin'] },
  'GET /api/crews/:id': read(),
  'PATCH /api/crews/:id': { roles: officers, scopes: ['admin'] },
  'DELETE /api/crews/:id': { roles: officers, scopes: ['admin'] },
  'GET /api/members': read(),
  'POST /api/members': { roles: officers, scopes: ['admin'] },
  'PATCH /api/members/:id': { roles: officers, scopes: ['admin'] },
  'DELETE /api/members/:id': { roles: officers, scopes: ['admin'] },
  'GET /api/rosters': read(),
  'POST /api/rosters': { roles: officers, scopes: ['admin'] },
  'DELETE /api/rosters/:id': { roles: officers, scopes: ['admin'] },
  'GET /api/zones/:zoneId/escalation-chain': read(),
  'PUT /api/zones/:zoneId/escalation-chain': { roles: officers, scopes: ['admin'] },
  'GET /api/outbox': { roles: officers, scopes: ['read'] },

  // City examination (城市体检): officers run campaigns; crews record their own inspections and fixes.
  'GET /api/campaigns': read(),
  'POST /api/campaigns': { roles: officers, scopes: ['runs:write'] },
  'GET /api/campaigns/:id': read(),
  'GET /api/campaigns/indicators': read(),
  'GET /api/campaigns/indicators.csv': read(),
  'GET /api/campaigns/report.html': read(),
  'POST /api/campaigns/schedules': { roles: officers, scopes: ['admin'] },
  'GET /api/campaigns/schedules/:id': read(),
  'DELETE /api/campaigns/schedules/:id': { roles: officers, scopes: ['admin'] },
  'GET /api/inspections': read(everyone),
  'GET /api/inspections/:id': read(everyone),
  'POST /api/inspections/:id/results': { roles: [...officers, 'crew'], scopes: ['runs:write'] },
  'POST /api/inspections/:id/photos': { roles: [...officers, 'crew'], scopes: ['runs:write'] },
  'GET /api/inspections/:id/photos/:photoId': read(everyone),
  'GET /api/findings': read(everyone),
  'GET /api/findings/:id': read(everyone),
  'POST /api/findings/:id/remediated': { roles: [...officers, 'crew'], scopes: ['runs:write'] },

  'GET /api/users': adminOnly,
  'POST /api/users': adminOnly,
  'PATCH /api/users/:id': adminOnly,
  'GET /api/keys': adminOnly,
  'POST /api/keys': adminOnly,
  'DELETE /api/keys/:id': adminOnly,
  'GET /api/audit': adminOnly,
};

/** Hono's route path for a request, in the table's form ("METHOD /path/:param"). */
export const policyKey = (method: string, path: string) => `${method} ${path}`;
