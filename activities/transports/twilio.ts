import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient.js';

type RequestOptions<T> = RequestClient.RequestOptions<T>;
import { SendError, type Transport } from './types.js';

/** Errors meaning the number can never receive from us: never retried, flagged on the member. */
export const invalidNumberCodes = new Set([21211, 21214, 21614, 21612, 21610]);

export interface TwilioSettings {
  accountSid: string;
  authToken: string;
  from: string;
  statusCallback: string | undefined;
  /** Another host for Twilio's REST API (a regional proxy, or a local stand-in in benchmarks). */
  apiBaseUrl?: string | undefined;
  /** How long one request may take; a send that times out is retried after asking Twilio whether it went. */
  timeoutMs?: number | undefined;
}

interface TwilioError { status?: number; code?: number; message?: string; moreInfo?: string; headers?: Record<string, string> }

/** Twilio Programmable Messaging through the official SDK; each send asks for status callbacks. */
export function twilioTransport(settings: TwilioSettings): Transport {
  const client = twilio(settings.accountSid, settings.authToken, { httpClient: retryAware(settings.apiBaseUrl, settings.timeoutMs ?? 10_000) });
  return {
    name: 'twilio',
    async findSent(message, since) {
      // Twilio keeps every message: one to this number with this body since the lost attempt is ours.
      // Not filtered by DateSent, which a message still in Twilio's queue does not have yet; instead
      // newest first, page after page, until the page reaches messages created before the window.
      // Every page, not the first few: a busy crew phone gets dozens of texts on a bad night.
      const windowStart = Date.parse(since) - 60_000;
      let page: { instances: { body: string; sid: string; status: string; dateCreated: Date }[]; nextPage(): Promise<unknown> | undefined } | undefined = await client.messages.page({ to: message.to, from: settings.from, pageSize: 200 });
      while (page) {
        const match = page.instances.find((m) => m.body === message.body);
        if (match) return { provider: 'twilio', providerMessageId: match.sid, status: match.status };
        const oldest = page.instances.at(-1);
        if (!oldest || (oldest.dateCreated && oldest.dateCreated.getTime() < windowStart)) return undefined;
        page = (await page.nextPage()) as typeof page;
      }
      return undefined;
    },
    async send(message) {
      try {
        const sent = await client.messages.create({
          to: message.to,
          from: settings.from,
          body: message.body,
          ...(settings.statusCallback ? { statusCallback: settings.statusCallback } : {}),
        });
        return { provider: 'twilio', providerMessageId: sent.sid, status: sent.status };
      } catch (error) {
        throw classifyTwilio(error as TwilioError);
      }
    },
  };
}

export function classifyTwilio(error: TwilioError | SendError): SendError {
  if (error instanceof SendError) return error;
  const status = error.status ?? 0;
  const code = error.code ?? 0;
  const text = `Twilio ${status}${code ? ` error ${code}` : ''}: ${error.message ?? 'failed'}`;
  if (invalidNumberCodes.has(code)) return new SendError(text, true, undefined, 'invalid-number');
  if (status === 429 || status >= 500 || status === 0) {
    const retryAfter = Number(error.headers?.['retry-after']);
    return new SendError(text, false, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
  }
  return new SendError(text, true);
}

/**
 * The SDK's own HTTP client, made to keep what its errors drop: a 429's or 5xx's Retry-After
 * (so the retry waits as long as Twilio asks), and optionally another base URL.
 */
function retryAware(base: string | undefined, timeout: number): twilio.RequestClient {
  class RetryAware extends twilio.RequestClient {
    override async request<TData>(opts: RequestOptions<TData>) {
      const response = await super.request<TData>(base ? { ...opts, uri: opts.uri.replace('https://api.twilio.com', base) } : opts);
      if (response.statusCode === 429 || response.statusCode >= 500) {
        const headers = response.headers as Record<string, string | undefined> | undefined;
        const retryAfter = Number(headers?.['retry-after'] ?? headers?.['Retry-After']);
        throw new SendError(`Twilio ${response.statusCode}: ${typeof response.body === 'string' ? response.body.slice(0, 200) : 'busy'}`, false, Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined);
      }
      return response;
    }
  }
  return new RetryAware({ keepAlive: true, timeout });
}
