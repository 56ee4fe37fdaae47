import { readFileSync } from 'node:fs';
import { Client, Connection } from '@temporalio/client';

export interface TemporalConnectionOptions {
  address: string;
  apiKey?: string;
  tls?: boolean | { clientCertPair: { crt: Buffer; key: Buffer } };
}
import { temporalAddress, type Config } from '../config/env.js';

/** Connection options shared by the API's client and the worker: plain, API key (Cloud) or mTLS. */
export function temporalConnectionOptions(config: Config): TemporalConnectionOptions {
  const { apiKey, tls } = config.temporal;
  return {
    address: temporalAddress(config),
    ...(apiKey ? { apiKey, tls: true } : {}),
    ...(tls ? { tls: { clientCertPair: { crt: pem(tls.cert), key: pem(tls.key) } } } : {}),
  };
}

export async function connectClient(config: Config): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(temporalConnectionOptions(config));
  return { client: new Client({ connection, namespace: config.temporal.namespace }), connection };
}

/** TEMPORAL_TLS_CERT/KEY hold either PEM text or a path to a PEM file. */
function pem(value: string): Buffer {
  return value.startsWith('-----BEGIN') ? Buffer.from(value) : readFileSync(value);
}
