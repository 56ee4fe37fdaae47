import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const twilioSid = `AC${'0123456789abcdef'.repeat(2)}`;
export const twilioToken = 'test-auth-token-0123456789';

export interface TwilioCall { To: string; From: string; Body: string; StatusCallback?: string; at: number }

/** Every text a `twilioMessages` handler accepted (answered 201), as Twilio's message list shows them. */
const accepted: TwilioCall[] = [];

/**
 * Stands in for third parties only (Twilio, push services); anything else unhandled is an error.
 * Twilio's message list is always there (a retry asks it whether a text already went); a test adds
 * its own Messages handler.
 */
export const mswServer = setupServer(twilioList(accepted));

/** Answers like Twilio's Messages API (201 with a sid), recording each request; `fail` may answer otherwise. */
export function twilioMessages(calls: TwilioCall[], fail?: (call: TwilioCall, n: number) => Response | undefined) {
  return http.post(`https://api.twilio.com/2010-04-01/Accounts/${twilioSid}/Messages.json`, async ({ request }) => {
    const form = { ...Object.fromEntries(new URLSearchParams(await request.text())), at: Date.now() } as unknown as TwilioCall;
    calls.push(form);
    const failure = fail?.(form, calls.length);
    if (failure) return failure;
    accepted.push(form);
    return HttpResponse.json({ sid: `SM${String(calls.length).padStart(32, '0')}`, status: 'queued', to: form.To, from: form.From, body: form.Body, account_sid: twilioSid }, { status: 201 });
  });
}

export function twilioError(status: number, code: number, message: string, headers: Record<string, string> = {}) {
  return HttpResponse.json({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, { status, headers });
}

/** Twilio's Messages list over what `calls` recorded: newest first, filtered by To, as the SDK's messages.list reads it. */
export function twilioList(calls: TwilioCall[]) {
  return http.get(`https://api.twilio.com/2010-04-01/Accounts/${twilioSid}/Messages.json`, ({ request }) => {
    const url = new URL(request.url);
    const to = url.searchParams.get('To');
    const messages = calls.map((c, i) => ({ sid: `SM${String(i + 1).padStart(32, '0')}`, to: c.To, from: c.From, body: c.Body, status: 'sent', date_created: new Date(c.at).toUTCString(), date_sent: new Date(c.at).toUTCString() }))
      .filter((m) => !to || m.to === to).reverse();
    return HttpResponse.json({ messages, next_page_uri: null, previous_page_uri: null, first_page_uri: url.pathname, page: 0, page_size: 1000, start: 0, end: messages.length, uri: url.pathname });
  });
}
