import { and, desc, eq, inArray, notInArray, type SQL } from 'drizzle-orm';
import { members, messages, runs, tasks } from '../db/schema/index.js';
import { verifyLink } from '../domain/links.js';
import { linkSecret } from '../activities/settings.js';
import type { AppDeps } from './deps.js';
import { ApiError } from './errors.js';
import { actOnRun } from './runs-service.js';

export const openTaskStatuses = ['assigned', 'acknowledged', 'unassigned'] as const;

/** Applies a crew's ack, done or help, from any channel, to the run that owns the task; repeats count once. */
export async function actOnTask(deps: AppDeps, taskId: string, type: 'ack' | 'done' | 'help', by: string, channel: string) {
  const task = await deps.db.query.tasks.findFirst({ where: eq(tasks.id, taskId) });
  if (!task) throw new ApiError('not-found', `No task "${taskId}"`);
  return actOnRun(deps, task.runId, { type, taskId, by, channel });
}

/** The member a crew user acts as; the task must belong to that member's crew. */
export async function memberForTask(deps: AppDeps, memberId: string | null, taskId: string) {
  if (!memberId) throw new ApiError('forbidden', 'This user is not linked to a crew member');
  const [member, task] = await Promise.all([
    deps.db.query.members.findFirst({ where: eq(members.id, memberId) }),
    deps.db.query.tasks.findFirst({ where: eq(tasks.id, taskId) }),
  ]);
  if (!task) throw new ApiError('not-found', `No task "${taskId}"`);
  if (!member || member.crewId !== task.crewId) throw new ApiError('forbidden', 'This task is not assigned to your crew');
  return member;
}

export async function listTasks(deps: AppDeps, q: { memberId?: string | undefined; runId?: string | undefined; status?: string | undefined; crewId?: string | undefined }) {
  const filters: SQL[] = [];
  if (q.memberId) {
    const member = await deps.db.query.members.findFirst({ where: eq(members.id, q.memberId) });
    if (!member?.crewId) return [];
    filters.push(eq(tasks.crewId, member.crewId));
  }
  if (q.crewId) filters.push(eq(tasks.crewId, q.crewId));
  if (q.runId) filters.push(eq(tasks.runId, q.runId));
  if (q.status === 'open') filters.push(inArray(tasks.status, [...openTaskStatuses, 'awaiting-verification']));
  else if (q.status) filters.push(eq(tasks.status, q.status));
  return deps.db
    .select({ task: tasks, drill: runs.drill, hazard: runs.hazard, level: runs.level })
    .from(tasks)
    .innerJoin(runs, eq(runs.id, tasks.runId))
    .where(filters.length ? and(...filters) : undefined)
    .orderBy(desc(tasks.createdAt))
    .limit(200)
    .then((rows) => rows.map((r) => ({ ...r.task, drill: r.drill, hazard: r.hazard, level: r.level })));
}

/** Opens a signed task link: who it was sent to and which task it is about. */
export async function openLink(deps: AppDeps, token: string) {
  const check = verifyLink(await linkSecret(deps.db), token, new Date());
  if (!check.ok) throw new ApiError(check.reason === 'expired' ? 'forbidden' : 'not-found', check.reason === 'expired' ? 'This task link has expired; ask the duty office for a new one' : 'This task link is not valid');
  const message = await deps.db.query.messages.findFirst({ where: eq(messages.id, check.messageId) });
  if (!message?.taskId) throw new ApiError('not-found', 'This task link is not valid');
  const task = await deps.db.query.tasks.findFirst({ where: eq(tasks.id, message.taskId) });
  if (!task) throw new ApiError('not-found', 'The task is gone');
  return { task, memberId: message.memberId };
}

/** A member's open tasks, newest first, for matching an SMS reply. */
export async function openTasksOf(deps: AppDeps, memberId: string) {
  const member = await deps.db.query.members.findFirst({ where: eq(members.id, memberId) });
  if (!member?.crewId) return [];
  return deps.db.select().from(tasks).where(and(eq(tasks.crewId, member.crewId), notInArray(tasks.status, ['verified', 'waived', 'cancelled']))).orderBy(desc(tasks.createdAt));
}
