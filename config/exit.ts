import { ConfigError } from './env.js';

/** Start-up stops on a bad setting with one line naming the variable and the problem. */
export function exitOnConfigError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`stormdesk: bad configuration: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
}
