import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * JSON lines for machines; pretty lines when a person watches a terminal.
 * Secrets never reach the log: the known secret-bearing keys are redacted wherever they appear.
 */
export function createLogger(level: string, name: string): Logger {
  const pretty = process.stdout.isTTY === true;
  return pino({
    name,
    level,
    redact: { paths: ['password', '*.password', 'authToken', '*.authToken', 'apiKey', '*.apiKey', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : {}),
  });
}
