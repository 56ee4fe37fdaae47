import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { startDevServer, type DevServer } from '../dev/dev-server.js';
import { ensureTemporalCli } from '../dev/temporal-cli.js';
import { freePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundlePath: string;
    temporalCli: string;
  }
}

let server: DevServer | undefined;
let dir: string | undefined;

/** One real dev server and one workflow bundle for the whole test run. */
export async function setup(project: TestProject): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'stormdesk-test-'));
  const cli = ensureTemporalCli(process.env.TEMPORAL_CLI);
  const [port, uiPort] = [await freePort(), await freePort()];
  const [started, bundle] = await Promise.all([
    startDevServer({ cli, port, uiPort, namespace: 'default', headless: true, logFile: join(dir, 'temporal.log'), startTimeoutMs: 90_000 }),
    bundleWorkflowCode({ workflowsPath: resolve('workflows/index.ts'), logger: quietLogger }),
  ]);
  server = started;
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  project.provide('temporalAddress', server.address);
  project.provide('workflowBundlePath', bundlePath);
  project.provide('temporalCli', cli);
}

export async function teardown(): Promise<void> {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m), log: noop };
