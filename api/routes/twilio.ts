import type { Context } from 'hono';
import { eq } from 'drizzle-orm';
import twilio from 'twilio';
import { members, messages } from '../../db/schema/index.js';
import { helpText, parseReply } from '../../domain/sms.js';
import { invalidNumberCodes } from '../../activities/transports/twilio.js';
import type { AppEnv } from '../deps.js';
import { ApiError } from '../errors.js';
import { router } from '../router.js';
import { actOnTask, openTasksOf } from '../tasks-service.js';

const statuses = new Set(['queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed']);

/**
 * Twilio calls these, not a person: the X-Twilio-Signature is checked against the public URL
 * we configured (what Twilio signed, even behind a proxy), and anything unsigned is refused.
 */
async function signedForm(c: Context<AppEnv>): Promise<Record<string, string>> {
  const { config } = c.get('deps');
  if (!config.twilio) throw new ApiError('not-found', 'Twilio is not configured on this instance');
  const form = await c.req.parseBody();
  const params = Object.fromEntries(Object.entries(form).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
  const url = `${config.publicUrl}${c.req.path}`;
  const signature = c.req.header('x-twilio-signature') ?? '';
  if (!twilio.validateRequest(config.twilio.authToken, signature, url, params)) throw new ApiError('forbidden', 'The X-Twilio-Signature does not match this request');
  return params;
}

const twiml = (c: Context, text?: string) => {
  const escaped = text?.replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch);
  return c.body(`<?xml version="1.0" encoding="UTF-8"?><Response>${escaped ? `<Message>${escaped}</Message>` : ''}</Response>`, 200, { 'content-type': 'text/xml' });
};

export function twilioRoutes() {
  return router()
    .post('/twilio/sms', async (c) => {
      const form = await signedForm(c);
      const { db, logger } = c.get('deps');
      const from = form.From ?? '';
      const member = await db.query.members.findFirst({ where: eq(members.phone, from) });
      if (!member) return twiml(c, `${helpText['zh-CN']} / Unknown number: ask the duty office to register it.`);
      const reply = parseReply(form.Body ?? '');
      const open = await openTasksOf(c.get('deps'), member.id);
      const candidates = reply.code ? open.filter((t) => t.code === reply.code) : open.filter((t) => t.status === 'assigned' || t.status === 'acknowledged');
      if (!reply.intent || candidates.length !== 1) {
        const codes = open.map((t) => t.code).join(', ');
        return twiml(c, `${helpText[member.language]}${codes ? (member.language === 'zh-CN' ? ` 当前任务：${codes}` : ` Open tasks: ${codes}`) : ''}`);
      }
      const task = candidates[0];
      if (!task) return twiml(c, helpText[member.language]);
      try {
        await actOnTask(c.get('deps'), task.id, reply.intent, member.id, 'sms');
      } catch (error) {
        logger.warn({ err: error, taskId: task.id }, 'SMS reply not applied');
        return twiml(c, member.language === 'zh-CN' ? `任务${task.code}当前无法${reply.intent === 'done' ? '完成' : '确认'}：${error instanceof ApiError ? error.detail : '请稍后重试'}` : `Task ${task.code}: ${error instanceof ApiError ? error.detail : 'try again shortly'}`);
      }
      const done = { ack: ['已确认', 'acknowledged'], done: ['已报完成，待核查', 'reported done, awaiting verification'], help: ['已通知值班员', 'the duty office has been told'] }[reply.intent];
      return twiml(c, member.language === 'zh-CN' ? `任务${task.code}${done[0]}` : `Task ${task.code} ${done[1]}`);
    })
    .post('/twilio/status', async (c) => {
      const form = await signedForm(c);
      const { db } = c.get('deps');
      const sid = form.MessageSid ?? form.SmsSid ?? '';
      const status = form.MessageStatus ?? form.SmsStatus ?? '';
      if (!sid || !statuses.has(status)) throw new ApiError('invalid-request', 'MessageSid and a known MessageStatus are required');
      const message = await db.query.messages.findFirst({ where: eq(messages.providerMessageId, sid) });
      if (!message) return c.body(null, 204);
      const mapped = status === 'delivered' ? 'delivered' : status === 'undelivered' ? 'undelivered' : status === 'failed' ? 'failed' : 'sent';
      const code = Number(form.ErrorCode);
      await db.update(messages).set({ status: mapped, updatedAt: new Date().toISOString(), ...(form.ErrorCode ? { error: `Twilio error ${form.ErrorCode}` } : {}) }).where(eq(messages.id, message.id));
      if (invalidNumberCodes.has(code)) await db.update(members).set({ phoneInvalidSince: new Date().toISOString(), phoneInvalidReason: `Twilio error ${code}` }).where(eq(members.id, message.memberId));
      return c.body(null, 204);
    });
}
