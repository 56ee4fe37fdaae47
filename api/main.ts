// `npm run api`: an API process for production, where several run behind a load balancer.
import { parseEnv } from '../config/env.js';
import { exitOnConfigError } from '../config/exit.js';
import { createLogger } from '../config/logger.js';
import { migrateDatabase, openDatabase } from '../db/client.js';
import { startApi } from './server.js';

const config = exitOnConfigError(() => parseEnv(process.env));
const logger = createLogger(config.logLevel, 'api');
const database = await openDatabase(config.database.url, config.database.authToken);
await migrateDatabase(database);
const api = await startApi(config, logger, database);
const stop = async () => {
  await api.close();
  database.close();
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
