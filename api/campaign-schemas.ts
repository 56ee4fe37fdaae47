import { z } from '@hono/zod-openapi';
import { facilityTypes } from '../db/schema/zones.js';
import { itemOutcomes, severities, findingStatuses, inspectionStatuses, campaignStatuses } from '../db/schema/campaigns.js';
import { durationSchema } from './schemas.js';

/** A duration from one second (tests) to a little over a year (a yearly campaign's due date). */
export const CampaignDuration = durationSchema(1_000, 400 * 86_400_000);

const ids = (what: string) => z.array(z.string().min(1)).min(1).max(200).refine((a) => new Set(a).size === a.length, `${what} must not repeat`);

const CampaignTimers = z.strictObject({
  remindBefore: CampaignDuration.default('3d').openapi({ description: 'Crews are reminded this long before the due date' }),
  escalateEvery: CampaignDuration.default('1d').openapi({ description: 'Overdue inspections go to supervisors again at this interval' }),
  remediationDue: CampaignDuration.default('7d').openapi({ description: 'Time a crew has to fix a finding before supervisors are told' }),
  reinspectionDue: CampaignDuration.default('3d').openapi({ description: 'Time to re-inspect a fixed finding' }),
});

const scope = {
  name: z.string().trim().min(1).max(200),
  facilityTypes: z.array(z.enum(facilityTypes)).min(1).refine((a) => new Set(a).size === a.length, 'facility types must not repeat'),
  zoneIds: ids('zones'),
  crewIds: ids('crews'),
  timers: CampaignTimers.default({ remindBefore: '3d', escalateEvery: '1d', remediationDue: '7d', reinspectionDue: '3d' }),
};

export const StartCampaign = z.strictObject({
  ...scope,
  dueAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When every inspection is due (or give dueIn)' }),
  dueIn: CampaignDuration.optional().openapi({ description: 'Due this long after the start' }),
}).refine((b) => (b.dueAt === undefined) !== (b.dueIn === undefined), { message: 'give exactly one of dueAt and dueIn', path: ['dueAt'] }).openapi('StartCampaign');

export const CampaignSchedule = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2-63 lower-case letters, digits and dashes'),
  ...scope,
  name: scope.name.openapi({ description: '"{year}" becomes the year each campaign opens' }),
  at: z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(28), hour: z.number().int().min(0).max(23).default(8) })
    .openapi({ description: "Every year on this day, in the city's time zone (STORMDESK_TIMEZONE)" }),
  dueIn: CampaignDuration,
}).openapi('CampaignSchedule');

export const CampaignListQuery = z.strictObject({ status: z.enum(campaignStatuses).optional() });
export const IdParam = z.object({ id: z.string().min(1).max(200) });
export const IndicatorQuery = z.strictObject({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  campaignId: z.string().min(1).optional(),
  tier: z.enum(['district', 'street', 'grid']).default('district').openapi({ description: 'The grid tier the rows are per (the city total is always included)' }),
});

export const InspectionQuery = z.strictObject({
  campaignId: z.string().optional(), crewId: z.string().optional(), status: z.enum(inspectionStatuses).optional(), facilityId: z.string().optional(),
});
export const RecordInspection = z.strictObject({
  results: z.array(z.strictObject({
    itemId: z.string().min(1),
    outcome: z.enum(itemOutcomes),
    value: z.number().finite().optional(),
    notes: z.string().trim().max(2000).optional(),
    photoIds: z.array(z.string().min(1)).max(10).optional(),
  })).min(1).max(100),
  notes: z.string().trim().max(4000).optional(),
  location: z.strictObject({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).optional(),
}).openapi('RecordInspection');

export const FindingQuery = z.strictObject({
  status: z.enum(findingStatuses).optional(), severity: z.enum(severities).optional(), facilityId: z.string().optional(), campaignId: z.string().optional(),
});
export const Remediated = z.strictObject({ note: z.string().trim().min(1).max(4000) }).openapi('Remediated');
