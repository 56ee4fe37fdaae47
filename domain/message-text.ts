import type { Language } from '../db/schema/crews.js';

export interface Bilingual { 'zh-CN': string; en: string }

const marker = { 'zh-CN': '【演练】', en: '[DRILL] ' } as const;
const brand = { 'zh-CN': '[城市应急]', en: '[Stormdesk]' } as const;

/** Clock time in the city's zone, so two messages to one number never read the same. */
export function clock(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** `examination`: city-examination work (an inspection, a fix, a re-inspection) recorded in Stormdesk, not answered by SMS reply. */
export interface TaskText { kind: 'task' | 'notice' | 'examination'; code: string; title: Bilingual; place?: Bilingual | undefined; drill: boolean; at: Date; timeZone: string; link?: string | undefined; /** A re-page says so, and never repeats the earlier text word for word. */ attempt?: number | undefined }

/** A task or notice message; every one carries its code (to match replies) and the time. */
export function taskText(t: TaskText, language: Language): string {
  const again = t.attempt && t.attempt > 1 ? (language === 'zh-CN' ? `(第${t.attempt}次)` : ` (page ${t.attempt})`) : '';
  const time = clock(t.at, t.timeZone) + again;
  const prefix = `${t.drill ? marker[language] : ''}${brand[language]}`;
  const link = t.link ? ` ${t.link}` : '';
  if (t.kind === 'examination') {
    return language === 'zh-CN'
      ? `${prefix}${time} 体检工单${t.code}：${t.title['zh-CN']}${t.place ? `（${t.place['zh-CN']}）` : ''}。请按时完成并在系统中记录结果。${link}`.trim()
      : `${prefix} ${time} Check ${t.code}: ${t.title.en}${t.place ? ` at ${t.place.en}` : ''}. Do it by the due date and record it in Stormdesk.${link}`;
  }
  if (language === 'zh-CN') {
    const place = t.place ? `（${t.place['zh-CN']}）` : '';
    return t.kind === 'task'
      ? `${prefix}${time} 任务${t.code}：${t.title['zh-CN']}${place}。回复1确认，2完成，3求助。${link}`.trim()
      : `${prefix}${time} 通知${t.code}：${t.title['zh-CN']}${place}。回复1确认收到。${link}`.trim();
  }
  const place = t.place ? ` at ${t.place.en}` : '';
  return t.kind === 'task'
    ? `${prefix} ${time} Task ${t.code}: ${t.title.en}${place}. Reply 1=ack 2=done 3=help.${link}`
    : `${prefix} ${time} Notice ${t.code}: ${t.title.en}${place}. Reply 1 to confirm.${link}`;
}

export interface EndText { drill: boolean; subject: Bilingual; reason: string; at: Date; timeZone: string; code?: string | undefined }

/** Tells a person that a task was cancelled or a run stood down, so nobody keeps working for nothing. */
export function endText(kind: 'cancelled' | 'stood-down', t: EndText, language: Language): string {
  const time = clock(t.at, t.timeZone);
  const prefix = `${t.drill ? marker[language] : ''}${brand[language]}`;
  const code = t.code ? (language === 'zh-CN' ? `任务${t.code}` : `Task ${t.code}`) : '';
  if (language === 'zh-CN') {
    return kind === 'cancelled'
      ? `${prefix}${time} ${code}已取消：${t.subject['zh-CN']}。原因：${t.reason}`
      : `${prefix}${time} ${t.subject['zh-CN']}响应已结束：${t.reason}。感谢参与。`;
  }
  return kind === 'cancelled'
    ? `${prefix} ${time} ${code} cancelled: ${t.subject.en}. Reason: ${t.reason}`
    : `${prefix} ${time} ${t.subject.en} response stood down: ${t.reason}. Thank you.`;
}
