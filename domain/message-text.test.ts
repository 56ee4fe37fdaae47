import { describe, expect, it } from 'vitest';
import { taskText } from './message-text.js';

describe('city examination messages', () => {
  const text = { kind: 'examination' as const, code: 'P3QX', title: { 'zh-CN': '城市体检：汛前检查', en: 'City check: pre-flood check' }, place: { 'zh-CN': '3号雨水泵站', en: 'Stormwater pumping station 3' }, drill: false, at: new Date('2027-04-01T00:30:00Z'), timeZone: 'Asia/Shanghai' };
  it('name the work, the place and the time, and say to record it in Stormdesk rather than offer SMS replies', () => {
    expect(taskText(text, 'zh-CN')).toBe('[城市应急]08:30 体检工单P3QX：城市体检：汛前检查（3号雨水泵站）。请按时完成并在系统中记录结果。');
    expect(taskText({ ...text, attempt: 2 }, 'en')).toBe('[Stormdesk] 08:30 (page 2) Check P3QX: City check: pre-flood check at Stormwater pumping station 3. Do it by the due date and record it in Stormdesk.');
  });
});
