import type { Channel } from '../db/schema/messages.js';

export interface OutgoingMessage { id: string; to: string; body: string; channel: Channel }
export interface SendResult { provider: string; providerMessageId: string }

/** A provider failure classified where it happens: permanent ones are never retried. */
export class SendError extends Error {
  constructor(message: string, readonly permanent: boolean, readonly retryAfterMs?: number) {
    super(message);
  }
}

/** One way out for messages of one channel (Twilio, Alibaba Cloud SMS, web push, or the outbox). */
export interface Transport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
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
