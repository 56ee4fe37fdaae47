import { z } from '@hono/zod-openapi';
import { levels } from '../domain/levels.js';
import { parseDuration } from '../domain/duration.js';

export const Level = z.enum(levels).openapi({ description: "China's response level: IV (blue) to I (red)" });
const durationPattern = /^\d+(\.\d+)?(ms|s|m|h|d)$/;
const spell = (ms: number) => (ms % 86_400_000 === 0 ? `${ms / 86_400_000}d` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

/** A duration such as "30s" or "2h" between `minMs` and `maxMs` (by default the 30 days a run's timer may wait). */
export function durationSchema(minMs: number, maxMs = 30 * 86_400_000) {
  return z.string().regex(durationPattern, 'must be a duration such as 30s, 10m or 2h')
    .refine((d) => !durationPattern.test(d) || (parseDuration(d) >= minMs && parseDuration(d) <= maxMs), minMs ? `must be between ${spell(minMs)} and ${spell(maxMs)}` : `must be at most ${spell(maxMs)}`);
}
const durationText = durationSchema(100);
const by = { by: z.string().optional().openapi({ description: 'Ignored: the authenticated caller is recorded' }) };

export const LaunchRun = z
  .strictObject({
    playbookId: z.string().min(1),
    zoneId: z.string().min(1),
    level: Level,
    reason: z.string().trim().min(1).max(2000),
    drill: z.boolean().default(false),
    timers: z.record(z.string(), durationText).optional().openapi({ description: "Overrides of the playbook's named timers (compressed drills, tests)" }),
  })
  .openapi('LaunchRun');

export const RunStarted = z.object({ runId: z.string(), workflowId: z.string() }).openapi('RunStarted');

export const RunAction = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.enum(['escalate', 'downgrade']), level: Level, reason: z.string().trim().min(1), ...by }),
    z.strictObject({ type: z.literal('decide'), stepId: z.string().min(1), optionId: z.string().min(1), ...by }),
    z.strictObject({ type: z.literal('tick'), stepId: z.string().min(1), itemId: z.string().min(1), ...by }),
    z.strictObject({ type: z.literal('note'), text: z.string().trim().min(1).max(4000), ...by }),
    z.strictObject({ type: z.literal('reassign'), taskId: z.string().min(1), crewId: z.string().min(1), ...by }),
    z.strictObject({ type: z.enum(['pause', 'resume']), stepId: z.string().min(1), ...by }),
    z.strictObject({ type: z.literal('stand-down'), reason: z.string().trim().min(1).max(2000), ...by }),
    z.strictObject({ type: z.literal('handover'), to: z.string().min(1), ...by }),
    z.strictObject({ type: z.enum(['ack', 'done', 'help']), taskId: z.string().min(1), ...by }),
    z.strictObject({ type: z.literal('verify'), taskId: z.string().min(1), ...by }),
    z.strictObject({ type: z.literal('waive'), taskId: z.string().min(1), reason: z.string().trim().min(1), ...by }),
    z.strictObject({ type: z.literal('condition'), name: z.enum(['warning-cancelled', 'sensors-clear']), value: z.boolean(), ...by }),
    z.strictObject({ type: z.literal('confirm'), accept: z.boolean(), ...by }),
  ])
  .openapi('RunAction');

export const ActionResult = z
  .object({ accepted: z.literal(true), type: z.string(), message: z.string(), summary: z.string().optional() })
  .openapi('ActionResult');

export const RunSummary = z
  .object({
    id: z.string(), workflowId: z.string(), playbookId: z.string(), playbookVersion: z.string(), hazard: z.string(),
    zoneId: z.string(), level: z.string(), status: z.enum(['open', 'closed']), drill: z.boolean(), reason: z.string(),
    startedBy: z.string(), startedAt: z.string(), closedAt: z.string().nullable(), closedReason: z.string().nullable(), updatedAt: z.string(),
  })
  .openapi('RunSummary');

export const RunListQuery = z.strictObject({
  status: z.enum(['open', 'closed']).optional(),
  hazard: z.string().optional(),
  zoneId: z.string().optional(),
  drill: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const IdParam = z.object({ id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' } }) });
