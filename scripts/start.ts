// `npm start`: all of Stormdesk in one command on the embedded default (dev server + libSQL file).
import { join, resolve } from 'node:path';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { parseEnv, temporalAddress } from '../config/env.js';
import { exitOnConfigError } from '../config/exit.js';
import { createLogger } from '../config/logger.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { seedDemoCity, seedDemoTriggers } from '../db/seed.js';
import { existsSync, readFileSync } from 'node:fs';
import { build } from 'vite';
import { startApi, webDist } from '../api/server.js';
import { temporalConnectionOptions } from '../api/temporal.js';
import { startDevServer, type DevServer } from '../dev/dev-server.js';
import { DataDirLocked, lockDataDir } from '../dev/lock.js';
import { portFree } from '../dev/ports.js';
import { ensureTemporalCli } from '../dev/temporal-cli.js';
import { createWorker } from '../worker/create-worker.js';
import { deliveryDeps } from '../worker/delivery.js';

const config = exitOnConfigError(() => parseEnv(process.env));
const logger = createLogger(config.logLevel, 'stormdesk');
const dataDir = resolve(config.dataDir);

let lock: ReturnType<typeof lockDataDir>;
try {
  lock = lockDataDir(dataDir);
} catch (error) {
  if (!(error instanceof DataDirLocked)) throw error;
  console.error(`stormdesk: ${error.message}`);
  process.exit(1);
}

// We stop the worker ourselves, in order, after the HTTP server.
Runtime.install({ shutdownSignals: [] });
const stops: (() => Promise<void>)[] = [];
let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    logger.info('stopping');
    for (const stop of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        logger.error({ err: error }, 'error while stopping');
      }
    }
    lock.release();
  }
  process.exit(code);
}
function lastLines(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join('\n');
  } catch {
    return '';
  }
}

process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

try {
  // Check ports before anything is created, so a clash costs nothing (not even the one-time admin password).
  const wanted: [string, number][] = [['PORT', config.port]];
  if (!config.temporal.address) wanted.push(['TEMPORAL_DEV_PORT', config.temporal.devPort], ['TEMPORAL_UI_PORT', config.temporal.uiPort]);
  for (const [name, port] of wanted) {
    if (!(await portFree(name === 'PORT' ? config.host : '127.0.0.1', port))) {
      console.error(`stormdesk: port ${port} (${name}) is already in use; stop what uses it or set ${name}`);
      await shutdown(1);
    }
  }
  let devServer: DevServer | undefined;
  if (!config.temporal.address) {
    const cli = ensureTemporalCli(config.temporal.cli, (line) => logger.info(line));
    logger.info({ port: config.temporal.devPort }, 'starting the Temporal dev server');
    devServer = await startDevServer({
      cli, port: config.temporal.devPort, uiPort: config.temporal.uiPort, namespace: config.temporal.namespace,
      dbFile: join(dataDir, 'temporal.db'), logFile: join(dataDir, 'temporal.log'),
    });
    lock.update({ temporalPid: devServer.process.pid });
    const server = devServer;
    stops.push(() => server.stop());
    server.process.once('exit', (code) => {
      if (!stopping) {
        logger.error({ code, log: lastLines(join(dataDir, 'temporal.log')) }, 'the Temporal dev server exited; stopping');
        void shutdown(1);
      }
    });
  }

  const database = await openDatabase(config.database.url, config.database.authToken);
  stops.push(async () => database.close());
  await migrateDatabase(database);
  if (await seedDemoCity(database.db)) logger.info('seeded the demo city (周河市 Zhouhe City)');
  if (await seedDemoTriggers(database.db)) logger.info('seeded the demo sensor rules and feed');

  const connection = await NativeConnection.connect(temporalConnectionOptions(config));
  stops.push(() => connection.close());
  logger.info('bundling workflows and starting the worker');
  const worker = await createWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, deps: { db: database.db, logger, ...(await deliveryDeps(config, database.db)) } });
  const workerDone = worker.run();
  stops.push(async () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
    await workerDone;
  });

  if (!existsSync(join(webDist, 'index.html'))) {
    logger.info('building the web app (once)');
    await build({ root: resolve('web'), configFile: resolve('web/vite.config.ts'), logLevel: 'warn' });
  }
  const api = await startApi(config, logger, database);
  stops.push(() => api.close());

  const lines = [
    '',
    `  Stormdesk is running (data in ${dataDir})`,
    `  App and API:  ${api.url}/`,
    `  Health:       ${api.url}/healthz`,
    `  OpenAPI:      ${api.url}/api/openapi.json`,
    devServer ? `  Temporal UI:  http://127.0.0.1:${config.temporal.uiPort}/` : `  Temporal:     ${temporalAddress(config)} (${config.temporal.namespace})`,
    '  Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));
} catch (error) {
  logger.fatal({ err: error }, error instanceof Error ? error.message : 'start-up failed');
  await shutdown(1);
}
