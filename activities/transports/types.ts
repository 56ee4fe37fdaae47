import type { Channel } from '../../db/schema/messages.js';

export interface OutgoingMessage { id: string; to: string; body: string; channel: Channel; memberId: string }
export interface SendResult { provider: string; providerMessageId: string; status?: string }

/** A provider failure classified where it happens: permanent ones are never retried. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    /** invalid-number: flag the member; gone: the push subscription no longer exists. */
    readonly kind?: 'invalid-number' | 'gone',
  ) {
    super(message);
  }
}

/** One way out for messages of one channel (Twilio, Alibaba Cloud SMS, web push, or the outbox). */
export interface Transport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /**
   * Whether the provider already has this message (sent by an attempt whose worker died before
   * recording it). Providers that cannot tell leave it out, and the message is sent again.
   */
  findSent?(message: OutgoingMessage, since: string): Promise<SendResult | undefined>;
}

/**
 * Keeps the message in the outbox and nowhere else: the embedded default without provider
 * credentials, so a city can try Stormdesk offline and read every message in the dev inbox.
 */
export const outboxTransport: Transport = {
  name: 'outbox',
  async send(message) {
    return { provider: 'outbox', providerMessageId: message.id };
  },
};

/**
 * Tries providers in order for each number; a provider's permanent failure (other than an
 * invalid number, which no provider can fix) fails over to the next one.
 */
export function failover(order: (to: string) => Transport[]): Transport {
  return {
    name: 'sms',
    async findSent(message, since) {
      for (const transport of order(message.to)) {
        // Not knowing is not "not sent": a failed look-up leaves the row pending for a retry.
        const found = await transport.findSent?.(message, since).catch((error: unknown) => {
          throw error instanceof SendError ? new SendError(error.message, false, error.retryAfterMs) : new SendError(`could not ask ${transport.name} whether the message went: ${String(error)}`, false);
        });
        if (found) return found;
      }
      return undefined;
    },
    async send(message) {
      const errors: string[] = [];
      for (const transport of order(message.to)) {
        try {
          return await transport.send(message);
        } catch (error) {
          if (!(error instanceof SendError) || !error.permanent || error.kind === 'invalid-number') throw error;
          errors.push(error.message);
        }
      }
      throw new SendError(errors.join('; ') || 'no SMS provider for this number', true);
    },
  };
}
