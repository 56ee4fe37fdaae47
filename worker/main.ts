// `npm run worker`: a worker process for production, where several run against one cluster.
import { NativeConnection, Runtime } from '@temporalio/worker';
import { parseEnv } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { openDatabase } from '../db/client.js';
import { temporalConnectionOptions } from '../api/temporal.js';
import { createWorker } from './create-worker.js';
import { deliveryDeps } from './delivery.js';
import { exitOnConfigError } from '../config/exit.js';

const config = exitOnConfigError(() => parseEnv(process.env));
const logger = createLogger(config.logLevel, 'worker');
Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });

const database = await openDatabase(config.database.url, config.database.authToken);
const connection = await NativeConnection.connect(temporalConnectionOptions(config));
const worker = await createWorker({ connection, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue, deps: { db: database.db, logger, ...(await deliveryDeps(config, database.db)) } });
logger.info({ taskQueue: config.temporal.taskQueue }, 'worker running');
await worker.run();
await connection.close();
database.close();
logger.info('worker stopped');
