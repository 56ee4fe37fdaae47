import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { z } from '@hono/zod-openapi';
import { campaigns, findings, inspectionPhotos, inspections, members } from '../db/schema/index.js';
import { evaluateResults } from '../domain/inspections.js';
import { findingStateQuery, recordInspectionUpdate, remediatedUpdate } from '../workflows/campaign-messages.js';
import type { RecordedInspection } from '../activities/campaigns.js';
import { ApiError } from './errors.js';
import type { AppDeps } from './deps.js';
import { updateWorkflow } from './workflow-update.js';
import type { Principal } from './auth/middleware.js';
import type { FindingQuery, InspectionQuery, RecordInspection } from './campaign-schemas.js';

/** A crew user sees and answers only its own crew's inspections and findings; everyone else is unrestricted. */
export async function crewOf(deps: AppDeps, principal: Principal | undefined): Promise<string | undefined> {
  if (principal?.kind !== 'user' || principal.role !== 'crew') return undefined;
  const member = principal.memberId ? await deps.db.query.members.findFirst({ where: eq(members.id, principal.memberId) }) : undefined;
  if (!member?.crewId) throw new ApiError('forbidden', 'This user is not linked to a crew member');
  return member.crewId;
}

export async function listInspections(deps: AppDeps, q: z.output<typeof InspectionQuery>, crewId: string | undefined) {
  const filters: SQL[] = [];
  if (q.campaignId) filters.push(eq(inspections.campaignId, q.campaignId));
  if (q.status) filters.push(eq(inspections.status, q.status));
  if (q.facilityId) filters.push(eq(inspections.facilityId, q.facilityId));
  if (crewId ?? q.crewId) filters.push(eq(inspections.crewId, crewId ?? q.crewId ?? ''));
  return deps.db.select().from(inspections).where(filters.length ? and(...filters) : undefined).orderBy(inspections.dueAt, inspections.facilityId, inspections.createdAt).limit(1000);
}

export async function getInspection(deps: AppDeps, id: string, crewId: string | undefined) {
  const row = await deps.db.query.inspections.findFirst({ where: eq(inspections.id, id) });
  if (!row || (crewId && row.crewId !== crewId)) throw new ApiError('not-found', `No inspection "${id}"`);
  const photos = await deps.db.select({ id: inspectionPhotos.id, contentType: inspectionPhotos.contentType, bytes: inspectionPhotos.bytes, uploadedAt: inspectionPhotos.uploadedAt })
    .from(inspectionPhotos).where(eq(inspectionPhotos.inspectionId, id));
  return { ...row, photos: photos.map((p) => ({ ...p, url: `/api/inspections/${id}/photos/${p.id}` })) };
}

/** The workflow that owns an inspection: its campaign's, or for a re-inspection its finding's. */
async function ownerWorkflow(deps: AppDeps, row: { kind: string; campaignId: string; findingId: string | null }): Promise<string> {
  if (row.kind === 're-inspection') {
    const finding = row.findingId ? await deps.db.query.findings.findFirst({ where: eq(findings.id, row.findingId) }) : undefined;
    if (!finding?.workflowId) throw new ApiError('conflict', 'The finding of this re-inspection is not tracked by a workflow yet; try again shortly');
    return finding.workflowId;
  }
  const campaign = await deps.db.query.campaigns.findFirst({ where: eq(campaigns.id, row.campaignId) });
  if (!campaign) throw new ApiError('not-found', `No campaign "${row.campaignId}"`);
  return campaign.workflowId;
}

/** Sends an update; the workflow's refusal becomes 409 saying why, Temporal trouble 503. */
function update<R>(deps: AppDeps, workflowId: string, run: (handle: ReturnType<AppDeps['temporal']['workflow']['getHandle']>) => Promise<R>, what: string): Promise<R> {
  return updateWorkflow(deps, () => run(deps.temporal.workflow.getHandle(workflowId)), {
    ended: `${what} is no longer tracked (its workflow has ended)`,
    unavailable: 'Cannot record this right now; try again shortly',
    context: { workflowId },
  });
}

/**
 * Records an inspection's results. The checklist is checked here (400 naming the item), then the
 * owning workflow writes the results and opens findings; a retried request is answered once
 * (the update id is the inspection's).
 */
export async function recordResults(deps: AppDeps, id: string, body: z.output<typeof RecordInspection>, actor: string, crewId: string | undefined): Promise<RecordedInspection> {
  const row = await deps.db.query.inspections.findFirst({ where: eq(inspections.id, id) });
  if (!row || (crewId && row.crewId !== crewId)) throw new ApiError('not-found', `No inspection "${id}"`);
  if (row.status === 'done') throw new ApiError('conflict', `Inspection ${row.code} is already recorded`);
  const { problems } = evaluateResults(row.checklist, body.results);
  if (problems.length) throw new ApiError('invalid-request', `${problems[0]?.path}: ${problems[0]?.message}`, { errors: problems });
  const photoIds = body.results.flatMap((r) => r.photoIds ?? []);
  if (photoIds.length) {
    const known = new Set((await deps.db.select({ id: inspectionPhotos.id }).from(inspectionPhotos).where(and(eq(inspectionPhotos.inspectionId, id), inArray(inspectionPhotos.id, photoIds)))).map((p) => p.id));
    body.results.forEach((r, i) => (r.photoIds ?? []).forEach((p, k) => {
      if (!known.has(p)) throw new ApiError('unprocessable', `results.${i}.photoIds.${k}: no photo "${p}" on this inspection`, { errors: [{ path: `body.results.${i}.photoIds.${k}`, message: 'upload it to this inspection first' }] });
    }));
  }
  const workflowId = await ownerWorkflow(deps, row);
  const input = { inspectionId: id, results: body.results, notes: body.notes, lat: body.location?.lat, lon: body.location?.lon, by: actor };
  return update(deps, workflowId, (h) => h.executeUpdate(recordInspectionUpdate, { args: [input], updateId: `record:${id}` }), `Inspection ${row.code}`);
}

const imageTypes: Record<string, { ext: string; magic: (b: Uint8Array) => boolean }> = {
  'image/jpeg': { ext: 'jpg', magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/png': { ext: 'png', magic: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  'image/webp': { ext: 'webp', magic: (b) => String.fromCharCode(...b.slice(0, 4)) === 'RIFF' && String.fromCharCode(...b.slice(8, 12)) === 'WEBP' },
};

/** Stores an uploaded photo under the data directory; the type is checked by its bytes, not only its label. */
export async function savePhoto(deps: AppDeps, id: string, file: unknown, actor: string, crewId: string | undefined): Promise<{ id: string; url: string }> {
  const row = await deps.db.query.inspections.findFirst({ where: eq(inspections.id, id) });
  if (!row || (crewId && row.crewId !== crewId)) throw new ApiError('not-found', `No inspection "${id}"`);
  if (!(file instanceof File)) throw new ApiError('invalid-request', 'photo: send the image as the multipart field "photo"', { errors: [{ path: 'body.photo', message: 'required' }] });
  const kind = imageTypes[file.type];
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!kind) throw new ApiError('unsupported-media-type', `photo: ${file.type || 'unknown type'} is not accepted; send JPEG, PNG or WebP`);
  if (!kind.magic(bytes)) throw new ApiError('unsupported-media-type', `photo: the file is not a ${file.type} image`);
  if (bytes.length > deps.config.maxPhotoBytes) throw new ApiError('payload-too-large', `photo: larger than ${deps.config.maxPhotoBytes} bytes`);
  const photoId = `photo_${randomUUID()}`;
  const relative = join('photos', id, `${photoId}.${kind.ext}`);
  await mkdir(resolve(deps.config.dataDir, 'photos', id), { recursive: true });
  await writeFile(resolve(deps.config.dataDir, relative), bytes);
  await deps.db.insert(inspectionPhotos).values({ id: photoId, inspectionId: id, contentType: file.type, bytes: bytes.length, path: relative, uploadedBy: actor, uploadedAt: new Date().toISOString() });
  return { id: photoId, url: `/api/inspections/${id}/photos/${photoId}` };
}

export async function readPhoto(deps: AppDeps, id: string, photoId: string, crewId: string | undefined): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string }> {
  const inspection = await deps.db.query.inspections.findFirst({ where: eq(inspections.id, id) });
  const photo = await deps.db.query.inspectionPhotos.findFirst({ where: and(eq(inspectionPhotos.id, photoId), eq(inspectionPhotos.inspectionId, id)) });
  if (!inspection || !photo || (crewId && inspection.crewId !== crewId)) throw new ApiError('not-found', `No photo "${photoId}"`);
  const data = await readFile(resolve(deps.config.dataDir, photo.path));
  return { bytes: new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer), contentType: photo.contentType };
}

export async function listFindings(deps: AppDeps, q: z.output<typeof FindingQuery>, crewId: string | undefined) {
  const filters: SQL[] = [];
  if (q.status) filters.push(eq(findings.status, q.status));
  if (q.severity) filters.push(eq(findings.severity, q.severity));
  if (q.facilityId) filters.push(eq(findings.facilityId, q.facilityId));
  if (q.campaignId) filters.push(eq(findings.campaignId, q.campaignId));
  if (crewId) filters.push(eq(findings.crewId, crewId));
  return deps.db.select().from(findings).where(filters.length ? and(...filters) : undefined).orderBy(findings.openedAt).limit(1000);
}

export async function getFinding(deps: AppDeps, id: string, crewId: string | undefined) {
  const row = await deps.db.query.findings.findFirst({ where: eq(findings.id, id) });
  if (!row || (crewId && row.crewId !== crewId)) throw new ApiError('not-found', `No finding "${id}"`);
  const reinspections = await deps.db.select().from(inspections).where(and(eq(inspections.findingId, id), eq(inspections.kind, 're-inspection'))).orderBy(inspections.createdAt);
  let events: { at: string; type: string; message: string }[] = [];
  if (row.status !== 'closed' && row.workflowId) {
    try {
      events = (await deps.temporal.workflow.getHandle(row.workflowId).query(findingStateQuery)).events;
    } catch (error) {
      deps.logger.warn({ err: error, findingId: id }, 'finding state query failed');
    }
  }
  return { ...row, reinspections, events };
}

/** The remediating crew (or an officer) reports the fault fixed; the finding's workflow sends a re-inspection. */
export async function reportRemediated(deps: AppDeps, id: string, note: string, actor: string, crewId: string | undefined) {
  const row = await deps.db.query.findings.findFirst({ where: eq(findings.id, id) });
  if (!row || (crewId && row.crewId !== crewId)) throw new ApiError('not-found', `No finding "${id}"`);
  if (row.status !== 'open') throw new ApiError('conflict', `The finding is ${row.status}`);
  if (!row.workflowId) throw new ApiError('conflict', 'The finding is not tracked by a workflow yet; try again shortly');
  const view = await update(deps, row.workflowId, (h) => h.executeUpdate(remediatedUpdate, { args: [{ note, by: actor }] }), `Finding ${id}`);
  return { findingId: id, status: view.status };
}
