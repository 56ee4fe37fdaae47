// `npm run temporal:cli`: finds or builds the Temporal CLI and prints its path (used by .ci/run).
import { ensureTemporalCli } from '../dev/temporal-cli.js';

try {
  console.log(ensureTemporalCli(process.env.TEMPORAL_CLI));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
