import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../config/env.js';
import type { Logger } from '../config/logger.js';
import type { Database } from '../db/client.js';
import { loadChecklists } from '../config/checklists.js';
import { adoptCampaigns } from './campaigns-service.js';
import { loadPlaybooks } from '../playbooks/loader.js';
import { createApp } from './app.js';
import type { AppDeps } from './deps.js';
import { startScheduler } from './scheduler.js';
import { serveWebApp } from './web.js';
import { bootstrapAccess } from './auth/bootstrap.js';
import { loadTriggerMapping } from './triggers-service.js';
import { ensureSearchAttributes } from './search-attributes.js';
import { connectClient } from './temporal.js';
import { ensureDrillSchedules } from './drills-service.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const playbooksDir = resolve(root, 'playbooks');
export const webDist = resolve(root, 'web', 'dist');

export interface RunningApi { url: string; server: ServerType; close(): Promise<void> }

/** Serves the API (and the built web app, when present) on one port. */
export async function startApi(config: Config, logger: Logger, database: Database): Promise<RunningApi> {
  const { client: temporal, connection } = await connectClient(config);
  const searchAttributes = await ensureSearchAttributes(connection, config.temporal.namespace);
  if (!searchAttributes) logger.warn('the Temporal cluster refused our search attributes; runs start without them');
  await bootstrapAccess(database.db, config.bootstrap, (line) => console.log(line));
  const playbooks = loadPlaybooks(config.playbooksDir ?? playbooksDir);
  for (const error of playbooks.errors) logger.error({ file: error.file, path: error.path }, `invalid playbook: ${error.message}`);
  const mapping = loadTriggerMapping(config.triggersFile ?? resolve(root, 'config', 'triggers.yaml'));
  // A typo in a checklist template stops the start here, not a campaign later.
  const checklists = loadChecklists();
  const deps: AppDeps = { config, logger, db: database.db, sqlite: database.client, temporal, temporalConnection: connection, searchAttributes, playbooks, trigger: { mapping }, checklists };
  const app = createApp(deps);
  // The seed cannot reach Temporal (it runs before the dev server may be up): drills it planted get their Schedules here.
  const schedules = await ensureDrillSchedules(deps);
  if (schedules) logger.info({ schedules }, 'created drill schedules');
  // Open campaigns without a workflow (the seeded demo, or after Temporal lost them) get one; it runs once a worker polls.
  const adopted = await adoptCampaigns({ db: database.db, temporal, config, logger, checklists });
  if (adopted.length) logger.info({ campaigns: adopted }, 'adopted open campaigns');
  serveWebApp(app, webDist);
  const scheduler = config.scheduler.enabled ? await startScheduler(deps) : undefined;
  const server = await new Promise<ServerType>((resolveServer, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolveServer(s));
    s.once('error', reject);
  });
  const url = `http://${config.host}:${config.port}`;
  logger.info({ url, playbooks: playbooks.playbooks.size }, 'API listening');
  return {
    url,
    server,
    async close() {
      await scheduler?.stop();
      const closed = new Promise<void>((r) => server.close(() => r()));
      // Consoles' event streams never end by themselves: after a grace for requests in flight, cut them (EventSource reconnects to the next process).
      const grace = setTimeout(() => (server as { closeAllConnections?: () => void }).closeAllConnections?.(), 2000);
      await closed;
      clearTimeout(grace);
      await connection.close();
    },
  };
}
