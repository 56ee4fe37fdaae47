import { z } from 'zod';

import { levels, type Level } from '../domain/levels.js';
import { inRange, parseDuration } from '../domain/duration.js';

export { levels, type Level };
export const builtInHazards = ['heavy-rain', 'strong-wind', 'facility-failure'] as const;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lower-case letters, digits and dashes');
const text = z.strictObject({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
const timerName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/, 'must name an entry of timers');
const duration = z.string().regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'must be a duration such as 30s, 10m, 2h or 1d')
  .refine((d) => !/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(d) || inRange(parseDuration(d), 1), 'must be more than 0 and at most 30d');

/** Runs the step only while the run's level is one of these (or at least / at most one). */
const when = z
  .strictObject({
    levels: z.array(z.enum(levels)).min(1).optional(),
    minLevel: z.enum(levels).optional(),
    maxLevel: z.enum(levels).optional(),
    /** Runs the step only when an earlier decision step chose this option. */
    decided: z.strictObject({ step: id, option: id }).optional(),
  })
  .refine((w) => w.levels || w.minLevel || w.maxLevel || w.decided, 'needs levels, minLevel, maxLevel or decided');

const base = { id, title: text, when: when.optional(), realOnly: z.boolean().optional() };

const audience = z.strictObject({
  roles: z.array(z.enum(['duty-officer', 'supervisor', 'crew', 'coordinator'])).default([]),
  /** Crews by specialty, among those covering the run's zone. */
  specialties: z.array(z.string().min(1)).default([]),
});

const notify = z.strictObject({
  ...base,
  kind: z.literal('notify'),
  to: audience,
  message: text,
  channels: z.array(z.enum(['sms', 'push'])).min(1).default(['sms', 'push']),
  ack: z
    .strictObject({
      timeout: timerName,
      /** "At least N crews confirmed in each grid cell": cells not yet covered are re-paged. */
      quorum: z.strictObject({ perCell: z.number().int().min(1), facilityType: z.string().min(1).optional() }).optional(),
      repages: z.number().int().min(0).max(10).default(1),
    })
    .optional(),
});

const dispatch = z.strictObject({
  ...base,
  kind: z.literal('dispatch'),
  task: text,
  specialty: z.string().min(1),
  /** At the run's zone, or at each facility of a type in it. */
  target: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('zone') }),
    z.strictObject({ type: z.literal('facilities'), facilityType: z.string().min(1), limit: z.number().int().min(1).max(200).default(20) }),
  ]).default({ type: 'zone' }),
  ackTimeout: timerName,
  /** How many crews to try at one tier of the grid before moving up. */
  attemptsPerTier: z.number().int().min(1).max(5).default(2),
  verify: z.strictObject({ timeout: timerName, sensorClear: z.boolean().default(false) }),
});

const checklist = z.strictObject({
  ...base,
  kind: z.literal('checklist'),
  items: z.array(z.strictObject({ id, label: text })).min(1),
});

const decision = z.strictObject({
  ...base,
  kind: z.literal('decision'),
  question: text,
  options: z.array(z.strictObject({ id, label: text })).min(2),
  timeout: timerName,
  /** After `timeout` the deputy is asked; after `deputyTimeout` the default applies. */
  deputyTimeout: timerName,
  default: id,
});

const wait = z.strictObject({
  ...base,
  kind: z.literal('wait'),
  for: timerName.optional(),
  until: z.enum(['warning-cancelled', 'sensors-clear']).optional(),
  timeout: timerName.optional(),
});

export interface StepBase { id: string; title: { 'zh-CN': string; en: string }; when?: z.infer<typeof when>; realOnly?: boolean }
export type NotifyStep = z.output<typeof notify>;
export type DispatchStep = z.output<typeof dispatch>;
export type ChecklistStep = z.output<typeof checklist>;
export type DecisionStep = z.output<typeof decision>;
export type WaitStep = z.output<typeof wait>;
export type GroupStep = StepBase & { kind: 'sequence' | 'parallel'; steps: Step[] };
export type Step = NotifyStep | DispatchStep | ChecklistStep | DecisionStep | WaitStep | GroupStep;

const group = (kind: 'sequence' | 'parallel'): z.ZodType<GroupStep> =>
  z.strictObject({ ...base, kind: z.literal(kind), steps: z.array(z.lazy(() => step)).min(1) }) as z.ZodType<GroupStep>;

export const step: z.ZodType<Step> = z.lazy(() =>
  z.union([notify, dispatch, checklist, decision, wait, group('sequence'), group('parallel')]),
) as z.ZodType<Step>;

export const playbookSchema = z.strictObject({
  $schema: z.string().optional(),
  id,
  title: text,
  description: text.optional(),
  hazard: id,
  levels: z.array(z.enum(levels)).min(1),
  /** Named durations; steps refer to them by name, and a run may override them (tests, drills). */
  timers: z.record(timerName, duration),
  start: z
    .strictObject({ confirmLevels: z.array(z.enum(levels)).default(['IV', 'III']), confirmTimeout: timerName.optional() })
    .default({ confirmLevels: ['IV', 'III'] }),
  standDown: z.strictObject({ auto: z.boolean().default(false) }).default({ auto: false }),
  steps: z.array(step).min(1),
});

export type PlaybookSource = z.output<typeof playbookSchema>;

/** A validated playbook as a run pins it: timers in milliseconds, version from content. */
export interface Playbook extends Omit<PlaybookSource, 'timers' | '$schema'> {
  version: string;
  timers: Record<string, number>;
}
