import type { Language } from '../../db/schema/crews.js';
import { clock } from '../message-text.js';

export type DrillNoticeKind = 'upcoming' | 'paused' | 'resumed' | 'ended';

export interface DrillNotice { kind: DrillNoticeKind; name: string; startsAt: Date; at: Date; timeZone: string; reason?: string | undefined }

/**
 * What participants are told about a drill itself (the run's own messages say 【演练】 too).
 * Always marked, so nobody mistakes an exercise for a storm.
 */
export function drillNoticeText(n: DrillNotice, language: Language): string {
  const time = clock(n.at, n.timeZone);
  const starts = clock(n.startsAt, n.timeZone);
  const reason = n.reason ?? '';
  if (language === 'zh-CN') {
    const body = {
      upcoming: `应急演练“${n.name}”将于${starts}开始，请按预案响应。`,
      paused: `应急演练“${n.name}”暂停：${reason}。请优先处置实际险情。`,
      resumed: `应急演练“${n.name}”继续进行。`,
      ended: `应急演练“${n.name}”已结束：${reason}。`,
    }[n.kind];
    return `【演练】[城市应急]${time} ${body}`;
  }
  const body = {
    upcoming: `Drill "${n.name}" starts at ${starts}; respond as the playbook says.`,
    paused: `Drill "${n.name}" paused: ${reason}. Real incidents come first.`,
    resumed: `Drill "${n.name}" resumes.`,
    ended: `Drill "${n.name}" is over: ${reason}.`,
  }[n.kind];
  return `[DRILL] [Stormdesk] ${time} ${body}`;
}
