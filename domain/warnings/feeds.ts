import { z } from 'zod';
import { WarningParseError, type Warning, type WarningInfo } from './types.js';

const msgTypes: Record<string, Warning['msgType']> = { alert: 'Alert', update: 'Update', cancel: 'Cancel' };
const colours = ['blue', 'yellow', 'orange', 'red'] as const;

function fail(error: z.ZodError, root: string): never {
  const issue = error.issues[0];
  throw new WarningParseError([root, ...(issue?.path ?? []).map(String)].join('.'), issue?.message ?? 'invalid');
}

const nwsFeature = z.looseObject({
  geometry: z.looseObject({ type: z.string(), coordinates: z.unknown() }).nullable().optional(),
  properties: z.looseObject({
    id: z.string().min(1),
    sender: z.string().optional(),
    sent: z.string().min(1),
    status: z.string().min(1),
    messageType: z.enum(['Alert', 'Update', 'Cancel']),
    event: z.string().min(1),
    severity: z.string().default('Unknown'),
    urgency: z.string().default('Unknown'),
    certainty: z.string().default('Unknown'),
    response: z.string().nullable().optional(),
    expires: z.string().nullable().optional(),
    headline: z.string().nullable().optional(),
    areaDesc: z.string().default(''),
    geocode: z.looseObject({ UGC: z.array(z.string()).optional(), SAME: z.array(z.string()).optional() }).optional(),
    references: z.array(z.looseObject({ identifier: z.string() })).default([]),
    eventCode: z.record(z.string(), z.array(z.string())).optional(),
  }),
});
const nwsCollection = z.looseObject({ features: z.array(nwsFeature) });

/** The api.weather.gov alerts GeoJSON: a FeatureCollection (or one Feature) of alerts. */
export function parseNws(input: unknown): Warning[] {
  const single = nwsFeature.safeParse(input);
  let features: z.infer<typeof nwsFeature>[];
  if (single.success) {
    features = [single.data];
  } else {
    const collection = nwsCollection.safeParse(input);
    if (!collection.success) fail(collection.error, 'body');
    features = collection.data.features;
  }
  return features.map((f) => {
    const p = f.properties;
    const polygons = f.geometry?.type === 'Polygon' ? ((f.geometry.coordinates as [number, number][][]) ?? []) : [];
    const info: WarningInfo = {
      language: 'en-US', event: p.event, severity: p.severity, urgency: p.urgency, certainty: p.certainty,
      eventCodes: Object.entries(p.eventCode ?? {}).flatMap(([valueName, values]) => values.map((value) => ({ valueName, value }))),
      responseTypes: p.response ? [p.response] : [], expires: p.expires ?? undefined, headline: p.headline ?? undefined,
      areas: [{ description: p.areaDesc, polygons, circles: [], geocodes: [...(p.geocode?.UGC ?? []).map((value) => ({ valueName: 'UGC', value })), ...(p.geocode?.SAME ?? []).map((value) => ({ valueName: 'SAME', value }))] }],
    };
    return { source: 'nws', sender: p.sender ?? 'w-nws.webmaster@noaa.gov', identifier: p.id, sent: p.sent, status: p.status, msgType: p.messageType, references: p.references.map((r) => r.identifier), infos: [info] };
  });
}

const qweatherV1 = z.looseObject({
  alerts: z.array(z.looseObject({
    id: z.string().min(1),
    senderName: z.string().default('QWeather'),
    issuedTime: z.string().min(1),
    messageType: z.looseObject({ code: z.enum(['alert', 'update', 'cancel']), supersedes: z.array(z.string()).default([]) }),
    eventType: z.looseObject({ name: z.string(), code: z.string() }),
    severity: z.string().nullable().default('unknown'),
    urgency: z.string().nullable().optional(),
    certainty: z.string().nullable().optional(),
    color: z.looseObject({ code: z.string() }).nullable().optional(),
    expireTime: z.string().nullable().optional(),
    headline: z.string().nullable().optional(),
  })),
});
const qweatherV7 = z.looseObject({
  warning: z.array(z.looseObject({
    id: z.string().min(1),
    sender: z.string().default('QWeather'),
    pubTime: z.string().min(1),
    title: z.string().default(''),
    status: z.string().default('active'),
    severity: z.string().default('Unknown'),
    severityColor: z.string().default(''),
    type: z.string().min(1),
    typeName: z.string().default(''),
    endTime: z.string().nullable().optional(),
    related: z.string().nullable().optional(),
  })),
});

const colour = (name: string | undefined): WarningInfo['colour'] => colours.find((c) => c === name?.toLowerCase());
const title = (s: string | null | undefined) => (s ? s.charAt(0).toUpperCase() + s.slice(1) : 'Unknown');

/**
 * QWeather's warning JSON (Weather Alert v1, and the legacy v7 /warning/now). Its answers are per
 * location, so the zone comes from the registered feed or the push's ?zoneId=, not from the body.
 */
export function parseQWeather(input: unknown): Warning[] {
  const v1 = qweatherV1.safeParse(input);
  if (v1.success) {
    return v1.data.alerts.map((a) => ({
      source: 'qweather', sender: a.senderName, identifier: a.id, sent: a.issuedTime, status: 'Actual',
      msgType: msgTypes[a.messageType.code] ?? 'Alert', references: a.messageType.supersedes,
      infos: [{ language: 'zh-CN', event: a.eventType.name, eventCodes: [{ valueName: 'QWEATHER', value: a.eventType.code }], severity: title(a.severity), urgency: title(a.urgency), certainty: title(a.certainty), responseTypes: [], expires: a.expireTime ?? undefined, headline: a.headline ?? undefined, colour: colour(a.color?.code), areas: [] }],
    }));
  }
  const v7 = qweatherV7.safeParse(input);
  if (!v7.success) fail(v1.error, 'body');
  return v7.data.warning.map((w) => ({
    source: 'qweather', sender: w.sender, identifier: w.id, sent: w.pubTime, status: 'Actual',
    msgType: w.status === 'cancel' ? 'Cancel' : w.status === 'update' || w.related ? 'Update' : 'Alert', references: w.related ? [w.related] : [],
    infos: [{ language: 'zh-CN', event: w.typeName, eventCodes: [{ valueName: 'QWEATHER', value: w.type }], severity: w.severity || 'Unknown', urgency: 'Unknown', certainty: 'Unknown', responseTypes: [], expires: w.endTime ?? undefined, headline: w.title, colour: colour(w.severityColor), areas: [] }],
  }));
}
