import { describe, expect, it } from 'vitest';
import { parseReply, providerOrder, smsSegments } from './sms.js';

describe('SMS segments', () => {
  it('counts GSM-7 text at 160 per message and 153 per part', () => {
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
    expect(smsSegments('€'.repeat(80)).units).toBe(160);
  });
  it('counts Chinese as UCS-2 at 70 per message and 67 per part', () => {
    expect(smsSegments('暴'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
    expect(smsSegments('暴'.repeat(71)).segments).toBe(2);
    expect(smsSegments(`Task A3F9 ${'暴'}`).encoding).toBe('UCS-2');
  });
});

describe('reading replies', () => {
  it.each([
    ['1', { intent: 'ack' }], ['ok', { intent: 'ack' }], ['收到', { intent: 'ack' }], ['１', { intent: 'ack' }],
    ['1 A3F9', { intent: 'ack', code: 'A3F9' }], ['OK a3f9', { intent: 'ack', code: 'A3F9' }], ['收到A3F9', { intent: 'ack', code: 'A3F9' }],
    ['2', { intent: 'done' }], ['DONE 0B1C', { intent: 'done', code: '0B1C' }], ['完成', { intent: 'done' }],
    ['3', { intent: 'help' }], ['HELP!', { intent: 'help' }], ['求助', { intent: 'help' }],
    ['what is this', { intent: null }], ['', { intent: null }],
  ])('reads %j', (body, expected) => {
    expect(parseReply(body)).toEqual(expected);
  });
});

describe('provider routing', () => {
  it('sends +86 numbers through the domestic provider first and others through Twilio first', () => {
    expect(providerOrder('+8613800000000', ['twilio', 'aliyun'])).toEqual(['aliyun', 'twilio']);
    expect(providerOrder('+14155550100', ['twilio', 'aliyun'])).toEqual(['twilio', 'aliyun']);
    expect(providerOrder('+8613800000000', ['twilio'])).toEqual(['twilio']);
  });
});
