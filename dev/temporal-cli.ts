import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

/** The newest CLI release whose go.mod `go install` accepts (later ones carry a replace directive). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const FALLBACK_VERSION = '1.4.1';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && executable(candidate)) return candidate;
  }
  return undefined;
}

export function cacheDir(version: string): string {
  const root = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(root, 'stormdesk', 'temporal-cli', version);
}

/**
 * Finds the Temporal CLI: `explicit` (TEMPORAL_CLI), then `temporal` on PATH, then our
 * versioned cache; else builds it once from the Go module proxy into that cache, so every
 * clone on this machine (and CI) reuses the one build.
 */
export function ensureTemporalCli(explicit: string | undefined, log: (line: string) => void = console.error): string {
  if (explicit) {
    if (!executable(explicit)) throw new Error(`TEMPORAL_CLI: ${explicit} is not an executable file`);
    return explicit;
  }
  const found = onPath('temporal');
  if (found) return found;
  for (const version of [TEMPORAL_CLI_VERSION, FALLBACK_VERSION]) {
    const cached = join(cacheDir(version), 'temporal');
    if (executable(cached)) return cached;
  }
  if (!onPath('go')) {
    throw new Error('The Temporal CLI is missing and Go is not installed to build it. Install Go, or set TEMPORAL_CLI to a temporal binary.');
  }
  const failures: string[] = [];
  for (const version of [TEMPORAL_CLI_VERSION, FALLBACK_VERSION]) {
    const dir = cacheDir(version);
    mkdirSync(dir, { recursive: true });
    log(`Building the Temporal CLI v${version} from the Go module proxy into ${dir}.`);
    log('This happens once per machine: about 200 modules (~1 GB of module cache) and 5-10 minutes on 2 cores.');
    const result = spawnSync('go', [
      'install', '-ldflags', `-s -w -X github.com/temporalio/cli/temporalcli.Version=${version}`,
      `github.com/temporalio/cli/cmd/temporal@v${version}`,
    ], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, CGO_ENABLED: '0', GOBIN: dir } });
    const built = join(dir, 'temporal');
    if (result.status === 0 && executable(built)) return built;
    failures.push(`v${version}: go install exited with ${result.status ?? result.signal}`);
  }
  throw new Error(`Could not build the Temporal CLI (${failures.join('; ')}).`);
}
