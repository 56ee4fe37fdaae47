import { z } from 'zod';

const port = z.coerce.number().int().min(1).max(65535);
const optionalString = z.string().min(1).optional();

/**
 * Every setting Stormdesk reads from the environment. Parsed once at start-up and passed
 * down; nothing else reads process.env.
 */
export const envSchema = z
  .object({
    PORT: port.default(8080),
    HOST: z.string().min(1).default('127.0.0.1'),
    STORMDESK_DATA_DIR: z.string().min(1).default('./data'),
    STORMDESK_PLAYBOOKS_DIR: z.string().min(1).optional(),
    STORMDESK_TRIGGERS_FILE: z.string().min(1).optional(),
    STORMDESK_TIMEZONE: z
      .string()
      .default('Asia/Shanghai')
      .refine(isTimeZone, 'is not an IANA time zone (for example Asia/Shanghai)'),
    STORMDESK_PUBLIC_URL: z.url().optional(),
    STORMDESK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    STORMDESK_MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),
    STORMDESK_MAX_PHOTO_BYTES: z.coerce.number().int().positive().default(8_388_608),
    STORMDESK_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
    STORMDESK_API_KEY: z.string().min(24, 'must be at least 24 characters').optional(),
    STORMDESK_DRILL_CHECK_SECONDS: z.coerce.number().positive().max(3600).default(30),
    STORMDESK_RATE_LIMIT_IP_PER_MINUTE: z.coerce.number().int().positive().default(1200),
    STORMDESK_RATE_LIMIT_KEY_PER_MINUTE: z.coerce.number().int().positive().default(600_000),
    STORMDESK_SCHEDULER: z.enum(['on', 'off']).default('on'),
    STORMDESK_FEED_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    STORMDESK_READINGS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
    STORMDESK_IDEMPOTENCY_HOLD_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    TEMPORAL_ADDRESS: optionalString,
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_API_KEY: optionalString,
    TEMPORAL_TLS_CERT: optionalString,
    TEMPORAL_TLS_KEY: optionalString,
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('stormdesk-v1'),
    TEMPORAL_WORKFLOW_ID_PREFIX: z.string().regex(/^[a-z0-9-]*$/, 'must be lower-case letters, digits and dashes').default(''),
    TEMPORAL_DEV_PORT: port.default(7233),
    TEMPORAL_UI_PORT: port.default(8233),
    TEMPORAL_CLI: optionalString,
    DATABASE_URL: z
      .string()
      .regex(/^(file:|libsql:|https?:|wss?:|:memory:)/, 'must start with file:, libsql://, http(s):// or ws(s)://')
      .optional(),
    DATABASE_AUTH_TOKEN: optionalString,
    TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex digits').optional(),
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_API_BASE_URL: z.url().optional(),
    TWILIO_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    TWILIO_FROM: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +8613800000000').optional(),
    ALIYUN_SMS_ACCESS_KEY_ID: optionalString,
    ALIYUN_SMS_ACCESS_KEY_SECRET: optionalString,
    ALIYUN_SMS_SIGN_NAME: optionalString,
    ALIYUN_SMS_TEMPLATE_CODE: optionalString,
    SMS_PER_SECOND: z.coerce.number().positive().default(1),
    SMS_DAILY_CAP_PER_NUMBER: z.coerce.number().int().positive().default(40),
    PUSH_PER_SECOND: z.coerce.number().positive().default(500),
    VAPID_PUBLIC_KEY: optionalString,
    VAPID_PRIVATE_KEY: optionalString,
    VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, 'must be a mailto: or https: URL').optional(),
  })
  .superRefine((env, ctx) => {
    if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
      ctx.addIssue({ code: 'custom', path: ['TEMPORAL_TLS_KEY'], message: 'TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together' });
    }
    if (env.TWILIO_ACCOUNT_SID && !env.TWILIO_FROM) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_FROM'], message: 'is needed to send with Twilio' });
    }
    if (Boolean(env.TWILIO_ACCOUNT_SID) !== Boolean(env.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({ code: 'custom', path: ['TWILIO_AUTH_TOKEN'], message: 'TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN go together' });
    }
  });

export type Env = z.output<typeof envSchema>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** Folder of playbook files; the repository's playbooks/ when unset. */
  readonly playbooksDir: string | undefined;
  /** How warnings map to hazards and levels; config/triggers.yaml when unset. */
  readonly triggersFile: string | undefined;
  readonly timeZone: string;
  readonly publicUrl: string;
  readonly logLevel: Env['STORMDESK_LOG_LEVEL'];
  readonly maxBodyBytes: number;
  /** Largest inspection photo accepted (stored under the data directory). */
  readonly maxPhotoBytes: number;
  readonly bootstrap: { readonly adminPassword: string | undefined; readonly apiKey: string | undefined };
  /** Requests per minute: per client address, and per API key (a sensor gateway may post thousands a second). */
  readonly rateLimit: { readonly perIp: number; readonly perKey: number };
  /** Polling feeds and the periodic sweeps (silence, retention): on in every API process, and one of them runs each slot. */
  readonly scheduler: { readonly enabled: boolean; readonly feedTimeoutMs: number; readonly readingsRetentionDays: number };
  /** How often a running drill looks for a real incident in its zone (real work takes priority). */
  readonly drillCheckEveryMs: number;
  /** How long a request holds its Idempotency-Key before a retry may take it over (its process died). */
  readonly idempotencyHoldMs: number;
  readonly temporal: {
    /** Undefined means: run the embedded dev server. */
    readonly address: string | undefined;
    readonly namespace: string;
    readonly apiKey: string | undefined;
    readonly tls: { readonly cert: string; readonly key: string } | undefined;
    readonly taskQueue: string;
    /** Lets several Stormdesk instances (or test cases) share one namespace without id clashes. */
    readonly workflowIdPrefix: string;
    readonly devPort: number;
    readonly uiPort: number;
    readonly cli: string | undefined;
  };
  readonly database: { readonly url: string; readonly authToken: string | undefined };
  readonly twilio: { readonly accountSid: string; readonly authToken: string; readonly from: string | undefined; readonly apiBaseUrl: string | undefined; readonly timeoutMs: number } | undefined;
  readonly aliyun: { readonly accessKeyId: string; readonly accessKeySecret: string; readonly signName: string; readonly templateCode: string } | undefined;
  /** Messages a second per SMS sender (a Twilio long code: 1; a short code: 100), and per number per day. */
  readonly sms: { readonly perSecond: number; readonly dailyCapPerNumber: number };
  readonly pushPerSecond: number;
  readonly vapid: { readonly publicKey: string; readonly privateKey: string; readonly subject: string } | undefined;
}

export class ConfigError extends Error {}

/** Parses an environment (process.env or a test's object) into a frozen Config, or throws naming the variable. */
export function parseEnv(source: Record<string, string | undefined>): Config {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`${name}: ${issue?.message ?? 'invalid'}`);
  }
  const env = parsed.data;
  const dataDir = env.STORMDESK_DATA_DIR;
  return Object.freeze({
    port: env.PORT,
    host: env.HOST,
    dataDir,
    playbooksDir: env.STORMDESK_PLAYBOOKS_DIR,
    triggersFile: env.STORMDESK_TRIGGERS_FILE,
    timeZone: env.STORMDESK_TIMEZONE,
    publicUrl: env.STORMDESK_PUBLIC_URL ?? `http://${env.HOST}:${env.PORT}`,
    logLevel: env.STORMDESK_LOG_LEVEL,
    maxBodyBytes: env.STORMDESK_MAX_BODY_BYTES,
    maxPhotoBytes: env.STORMDESK_MAX_PHOTO_BYTES,
    bootstrap: { adminPassword: env.STORMDESK_ADMIN_PASSWORD, apiKey: env.STORMDESK_API_KEY },
    rateLimit: { perIp: env.STORMDESK_RATE_LIMIT_IP_PER_MINUTE, perKey: env.STORMDESK_RATE_LIMIT_KEY_PER_MINUTE },
    scheduler: { enabled: env.STORMDESK_SCHEDULER === 'on', feedTimeoutMs: env.STORMDESK_FEED_TIMEOUT_MS, readingsRetentionDays: env.STORMDESK_READINGS_RETENTION_DAYS },
    drillCheckEveryMs: env.STORMDESK_DRILL_CHECK_SECONDS * 1000,
    idempotencyHoldMs: env.STORMDESK_IDEMPOTENCY_HOLD_SECONDS * 1000,
    temporal: {
      address: env.TEMPORAL_ADDRESS,
      namespace: env.TEMPORAL_NAMESPACE,
      apiKey: env.TEMPORAL_API_KEY,
      tls: env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY ? { cert: env.TEMPORAL_TLS_CERT, key: env.TEMPORAL_TLS_KEY } : undefined,
      taskQueue: env.TEMPORAL_TASK_QUEUE,
      workflowIdPrefix: env.TEMPORAL_WORKFLOW_ID_PREFIX,
      devPort: env.TEMPORAL_DEV_PORT,
      uiPort: env.TEMPORAL_UI_PORT,
      cli: env.TEMPORAL_CLI,
    },
    database: { url: env.DATABASE_URL ?? `file:${dataDir}/stormdesk.db`, authToken: env.DATABASE_AUTH_TOKEN },
    twilio: env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN
      ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiBaseUrl: env.TWILIO_API_BASE_URL, timeoutMs: env.TWILIO_TIMEOUT_MS }
      : undefined,
    aliyun: env.ALIYUN_SMS_ACCESS_KEY_ID && env.ALIYUN_SMS_ACCESS_KEY_SECRET && env.ALIYUN_SMS_SIGN_NAME && env.ALIYUN_SMS_TEMPLATE_CODE
      ? { accessKeyId: env.ALIYUN_SMS_ACCESS_KEY_ID, accessKeySecret: env.ALIYUN_SMS_ACCESS_KEY_SECRET, signName: env.ALIYUN_SMS_SIGN_NAME, templateCode: env.ALIYUN_SMS_TEMPLATE_CODE }
      : undefined,
    sms: { perSecond: env.SMS_PER_SECOND, dailyCapPerNumber: env.SMS_DAILY_CAP_PER_NUMBER },
    pushPerSecond: env.PUSH_PER_SECOND,
    vapid: env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
      ? { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject: env.VAPID_SUBJECT ?? 'mailto:duty@stormdesk.invalid' }
      : undefined,
  });
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Address of the embedded dev server when TEMPORAL_ADDRESS is not set. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
}
