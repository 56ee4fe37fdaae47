/** SMS realities: how many segments a text costs, and what a crew member's reply means. */

const gsm7 = new Set([..."@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"]);
const gsm7Extension = new Set([..."^{}\\[~]|€\f"]);

export interface Segments { encoding: 'GSM-7' | 'UCS-2'; units: number; segments: number }

/**
 * GSM-7 carries 160 septets in one message or 153 per part of a long one (extension characters
 * count twice); anything else, Chinese included, goes as UCS-2: 70 code units, or 67 per part.
 */
export function smsSegments(text: string): Segments {
  const chars = [...text];
  if (chars.every((c) => gsm7.has(c) || gsm7Extension.has(c))) {
    const units = chars.reduce((n, c) => n + (gsm7Extension.has(c) ? 2 : 1), 0);
    return { encoding: 'GSM-7', units, segments: units <= 160 ? 1 : Math.ceil(units / 153) };
  }
  const units = text.length; // UTF-16 code units, as UCS-2 counts them (an emoji is two)
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

export type ReplyIntent = 'ack' | 'done' | 'help';
export interface Reply { intent: ReplyIntent | null; code?: string }

const words: Record<ReplyIntent, string[]> = {
  ack: ['1', 'OK', 'Y', 'YES', 'ACK', '收到', '确认', '好', '好的'],
  done: ['2', 'DONE', 'FINISHED', '完成', '已完成', '办结'],
  help: ['3', 'HELP', 'SOS', '求助', '帮助', '支援'],
};

/** Reads "1", "OK A3F9", "收到", "2 a3f9", "完成A3F9" and the like; full-width digits and letters count. */
export function parseReply(body: string): Reply {
  const text = body
    .normalize('NFKC') // full-width "１" and "ＯＫ" become "1" and "OK"
    .trim()
    .toUpperCase();
  const code = /(?:^|[^0-9A-F])([0-9A-F]{4})(?![0-9A-F])/.exec(text.replace(/^[123](?=\s|$)/, ''))?.[1];
  const head = text.replace(/[0-9A-F]{4}$/, '').replace(/[\s,.，。!！]+/g, ' ').trim().split(' ')[0] ?? '';
  for (const intent of Object.keys(words) as ReplyIntent[]) {
    if (words[intent].includes(head)) return code ? { intent, code } : { intent };
  }
  return code ? { intent: null, code } : { intent: null };
}

export const helpText = {
  'zh-CN': '回复格式：1 确认，2 完成，3 求助；有多个任务时请加任务编号，如“1 A3F9”。',
  en: 'Reply 1 to acknowledge, 2 when done, 3 for help; with several tasks add the task code, e.g. "1 A3F9".',
} as const;

/** Which SMS providers to try, in order, for a number: mainland China numbers go to the domestic provider first. */
export function providerOrder(phone: string, available: readonly string[]): string[] {
  const preferred = phone.startsWith('+86') ? ['aliyun', 'twilio'] : ['twilio', 'aliyun'];
  return [...preferred.filter((p) => available.includes(p)), ...available.filter((p) => !preferred.includes(p))];
}
