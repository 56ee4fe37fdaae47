// A worker process for benchmarks: the real worker's activities and interpreter, plus the baselines.
import { createRequire } from 'node:module';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { parseEnv } from '../config/env.js';
import { createLogger } from '../config/logger.js';
import { openDatabase } from '../db/client.js';
import { createActivities } from '../activities/index.js';
import { temporalConnectionOptions } from '../api/temporal.js';
import { createBenchActivities } from './activities.js';
import { deliveryDeps } from '../worker/delivery.js';

const require = createRequire(import.meta.url);
const config = parseEnv(process.env);
const logger = createLogger('warn', 'bench-worker');
Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'], logger: new DefaultLogger('WARN') });
const database = await openDatabase(config.database.url);
const connection = await NativeConnection.connect(temporalConnectionOptions(config));
const worker = await Worker.create({
  connection,
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  maxHeartbeatThrottleInterval: '3 seconds',
  workflowsPath: require.resolve('./workflows.ts'),
  activities: { ...createActivities({ db: database.db, logger, ...(await deliveryDeps(config, database.db)) }), ...createBenchActivities() },
});
process.send?.('ready');
await worker.run();
await connection.close();
database.close();
