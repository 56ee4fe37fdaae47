import { createRoute, z } from '@hono/zod-openapi';
import { router } from '../router.js';
import { json, body } from '../openapi.js';
import { FindingQuery, IdParam, InspectionQuery, RecordInspection, Remediated } from '../campaign-schemas.js';
import { crewOf, getFinding, getInspection, listFindings, listInspections, readPhoto, recordResults, reportRemediated, savePhoto } from '../inspections-service.js';

const PhotoParams = z.object({ id: z.string().min(1), photoId: z.string().min(1) });
const Recorded = z.object({ inspectionId: z.string(), kind: z.string(), findings: z.array(z.looseObject({ id: z.string() })), passed: z.boolean().optional() }).openapi('RecordedInspection');

/** Inspections (a crew user sees its own crew's) and the findings they open. */
export function inspectionRoutes() {
  return router()
    .openapi(createRoute({ method: 'get', path: '/inspections', summary: 'Inspections and re-inspections, by campaign, crew, facility or status', request: { query: InspectionQuery }, responses: { 200: json(z.object({ inspections: z.array(z.looseObject({ id: z.string() })) }), 'Inspections') } }), async (c) => {
      const deps = c.get('deps');
      return c.json({ inspections: await listInspections(deps, c.req.valid('query'), await crewOf(deps, c.get('principal'))) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/inspections/{id}', summary: 'An inspection with its checklist, results and photos', request: { params: IdParam }, responses: { 200: json(z.looseObject({ id: z.string() }), 'The inspection') } }), async (c) => {
      const deps = c.get('deps');
      return c.json(await getInspection(deps, c.req.valid('param').id, await crewOf(deps, c.get('principal'))), 200);
    })
    .openapi(createRoute({ method: 'post', path: '/inspections/{id}/results', summary: 'Record the result of every checklist item; failed items open findings, a re-inspection closes or reopens its finding', request: { params: IdParam, ...body(RecordInspection) }, responses: { 200: json(Recorded, 'Recorded') } }), async (c) => {
      const deps = c.get('deps');
      return c.json(await recordResults(deps, c.req.valid('param').id, c.req.valid('json'), c.get('actor'), await crewOf(deps, c.get('principal'))), 200);
    })
    .openapi(createRoute({ method: 'post', path: '/inspections/{id}/photos', summary: 'Upload a photo (multipart field "photo": JPEG, PNG or WebP) to cite in results', request: { params: IdParam }, responses: { 201: json(z.object({ id: z.string(), url: z.string() }), 'Stored') } }), async (c) => {
      const deps = c.get('deps');
      const crewId = await crewOf(deps, c.get('principal'));
      const form = await c.req.parseBody().catch(() => ({} as Record<string, unknown>));
      const stored = await savePhoto(deps, c.req.valid('param').id, form.photo, c.get('actor'), crewId);
      c.header('location', stored.url);
      return c.json(stored, 201);
    })
    .openapi(createRoute({ method: 'get', path: '/inspections/{id}/photos/{photoId}', summary: 'A stored photo', request: { params: PhotoParams }, responses: { 200: { description: 'The image', content: { 'image/*': { schema: z.string() } } } } }), async (c) => {
      const deps = c.get('deps');
      const { id, photoId } = c.req.valid('param');
      const photo = await readPhoto(deps, id, photoId, await crewOf(deps, c.get('principal')));
      return c.body(photo.bytes, 200, { 'content-type': photo.contentType, 'cache-control': 'private, max-age=3600', 'x-content-type-options': 'nosniff' });
    })
    .openapi(createRoute({ method: 'get', path: '/findings', summary: 'Findings, by status, severity, facility or campaign', request: { query: FindingQuery }, responses: { 200: json(z.object({ findings: z.array(z.looseObject({ id: z.string() })) }), 'Findings') } }), async (c) => {
      const deps = c.get('deps');
      return c.json({ findings: await listFindings(deps, c.req.valid('query'), await crewOf(deps, c.get('principal'))) }, 200);
    })
    .openapi(createRoute({ method: 'get', path: '/findings/{id}', summary: 'A finding with its re-inspections and events', request: { params: IdParam }, responses: { 200: json(z.looseObject({ id: z.string() }), 'The finding') } }), async (c) => {
      const deps = c.get('deps');
      return c.json(await getFinding(deps, c.req.valid('param').id, await crewOf(deps, c.get('principal'))), 200);
    })
    .openapi(createRoute({ method: 'post', path: '/findings/{id}/remediated', summary: 'Report the fault fixed; a re-inspection follows', request: { params: IdParam, ...body(Remediated) }, responses: { 200: json(z.object({ findingId: z.string(), status: z.string() }), 'Reported') } }), async (c) => {
      const deps = c.get('deps');
      return c.json(await reportRemediated(deps, c.req.valid('param').id, c.req.valid('json').note, c.get('actor'), await crewOf(deps, c.get('principal'))), 200);
    });
}
