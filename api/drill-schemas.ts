import { z } from '@hono/zod-openapi';
import { overlapPolicies, realIncidentPolicies } from '../db/schema/drills.js';
import { durationSchema, Level } from './schemas.js';

/** A duration such as 5m; `min` keeps timers and windows above zero, offsets may be 0s. */
const duration = (minMs: number) => durationSchema(minMs);
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be lower-case letters, digits and dashes');

export const Objective = z.discriminatedUnion('kind', [
  z.strictObject({ id: slug, kind: z.literal('ack-within'), within: duration(1000), label: z.string().max(200).optional() }),
  z.strictObject({ id: slug, kind: z.literal('done-within'), within: duration(1000), stepId: z.string().min(1).optional(), facilityId: z.string().min(1).optional(), label: z.string().max(200).optional() }),
]).openapi('DrillObjective');

export const Inject = z.discriminatedUnion('kind', [
  z.strictObject({ id: slug, at: duration(0).openapi({ description: 'Offset from the drill start, e.g. 5m' }), kind: z.literal('warning'), level: Level, headline: z.string().trim().min(1).max(500) }),
  z.strictObject({ id: slug, at: duration(0), kind: z.literal('reading'), sensorId: z.string().min(1), value: z.number().finite(), unit: z.string().max(20).optional() }),
]).openapi('DrillInject');

export const Schedule = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once'), at: z.iso.datetime({ offset: true }) }),
  z.strictObject({ kind: z.literal('recurring'), cron: z.string().min(9).max(100).openapi({ description: "Five cron fields in the city's time zone, e.g. '0 9 1 * *'" }) }),
]).openapi('DrillSchedule');

const date = z.iso.date();
const fields = {
  name: z.string().trim().min(1).max(200),
  playbookId: z.string().min(1),
  zoneId: z.string().min(1),
  level: Level,
  participants: z.array(z.string().min(1)).min(1).max(100).openapi({ description: 'Crew ids taking part' }),
  objectives: z.array(Objective).max(50).default([]),
  injects: z.array(Inject).max(200).default([]),
  timers: z.record(z.string(), duration(1000)).default({}).openapi({ description: "Compressed playbook timers, e.g. {\"ackTimeout\": \"2m\"}" }),
  lead: duration(0).default('0s').openapi({ description: 'How long before the start participants are told' }),
  window: duration(1000).default('2h').openapi({ description: 'The drill run is stood down after this long' }),
  onRealIncident: z.enum(realIncidentPolicies).default('end'),
  schedule: Schedule.optional(),
  skipDates: z.array(date).max(366).default([]).openapi({ description: 'Dates (city time) the Schedule skips: holidays' }),
  overlap: z.enum(overlapPolicies).default('skip'),
};

export const DrillBody = z.strictObject(fields).openapi('DrillBody');
export const DrillPatch = z.strictObject({
  name: fields.name, playbookId: fields.playbookId, zoneId: fields.zoneId, level: fields.level, participants: fields.participants,
  objectives: z.array(Objective).max(50), injects: z.array(Inject).max(200), timers: z.record(z.string(), duration(1000)), lead: duration(0), window: duration(1000),
  onRealIncident: z.enum(realIncidentPolicies), skipDates: z.array(date).max(366), overlap: z.enum(overlapPolicies),
}).partial().openapi('DrillPatch');
export const ScheduleBody = z.strictObject({ schedule: Schedule, skipDates: z.array(date).max(366).optional(), overlap: z.enum(overlapPolicies).optional(), lead: duration(0).optional() }).openapi('DrillScheduleBody');
export const DrillIdParam = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });
export const DrillRunParam = z.object({
  id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }),
  runId: z.string().min(1).openapi({ param: { name: 'runId', in: 'path' } }),
});
