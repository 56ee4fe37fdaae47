import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import { SendError, type Transport } from './types.js';

// The SDK is CommonJS with `exports.default`: Node's loader hands us module.exports, Vite's the class.
type ClientClass = new (config: $OpenApiUtil.Config) => { sendSms(request: SendSmsRequest): Promise<{ body?: { code?: string; message?: string; bizId?: string } }> };
const loaded = Dysmsapi as unknown as ClientClass | { default: ClientClass };
const Client: ClientClass = typeof loaded === 'function' ? loaded : loaded.default;

export interface AliyunSettings { accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string; endpoint?: string }

/**
 * Alibaba Cloud SMS for mainland numbers. Mainland SMS must use an approved template, so the
 * message goes in as the template's ${content} variable; replies arrive through the task link.
 */
export function aliyunTransport(settings: AliyunSettings): Transport {
  const client = new Client(new $OpenApiUtil.Config({ accessKeyId: settings.accessKeyId, accessKeySecret: settings.accessKeySecret, endpoint: settings.endpoint ?? 'dysmsapi.aliyuncs.com' }));
  return {
    name: 'aliyun',
    async send(message) {
      let body: { code?: string; message?: string; bizId?: string } | undefined;
      try {
        const response = await client.sendSms(new SendSmsRequest({
          phoneNumbers: message.to.replace(/^\+86/, ''),
          signName: settings.signName,
          templateCode: settings.templateCode,
          templateParam: JSON.stringify({ content: message.body }),
          outId: message.id,
        }));
        body = response.body ?? undefined;
      } catch (error) {
        throw new SendError(`Aliyun SMS: ${(error as Error).message}`, false);
      }
      if (body?.code === 'OK' && body.bizId) return { provider: 'aliyun', providerMessageId: body.bizId };
      const code = body?.code ?? 'unknown';
      // Throttling codes are transient; a bad number or template is not.
      if (/Throttling|LIMIT_CONTROL|ServiceUnavailable/i.test(code)) throw new SendError(`Aliyun SMS ${code}: ${body?.message ?? ''}`, false);
      throw new SendError(`Aliyun SMS ${code}: ${body?.message ?? ''}`, true, undefined, /MOBILE_NUMBER_ILLEGAL/.test(code) ? 'invalid-number' : undefined);
    },
  };
}
