import { describe, expect, it } from 'vitest';
import { withStack } from '../test/harness.js';

const square = (w: number, s: number, e: number, n: number) => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

describe('zones and facilities', () => {
  it('lists the seeded four-level grid and adds a community grid with a boundary and CAP geocodes', async () => {
    await withStack(async ({ callAs }) => {
      const districts = await callAs('viewer', 'GET', '/api/zones?tier=district');
      expect(districts.body.zones.map((z: { id: string }) => z.id)).toEqual(['shahe', 'yingshui']);
      const created = await callAs('admin', 'POST', '/api/zones', { id: 'renhe-g3', name: '人和街道第3网格', parentId: 'renhe', tier: 'grid', boundary: square(114.56, 33.66, 114.57, 33.67), geocodes: [{ valueName: 'UGC', value: 'MTZ014' }] });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ id: 'renhe-g3', tier: 'grid', geocodes: [{ valueName: 'UGC', value: 'MTZ014' }] });
      const facility = await callAs('admin', 'POST', '/api/facilities', { id: 'underpass-new', name: '新华路下穿', type: 'underpass', zoneId: 'renhe-g3', lat: 33.665, lon: 114.565, properties: { closeDepthM: 0.27 } });
      expect(facility.status).toBe(201);
      expect((await callAs('viewer', 'GET', '/api/facilities?zoneId=renhe-g3')).body.facilities).toHaveLength(1);
    });
  });

  it('refuses a grid under a district, an open ring, out-of-range coordinates and unknown parents, naming the field', async () => {
    await withStack(async ({ callAs }) => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: 'x', parentId: 'shahe', tier: 'grid' }, 422, 'body.tier'],
        [{ name: 'x', parentId: 'atlantis', tier: 'grid' }, 422, 'body.parentId'],
        [{ name: 'x', parentId: 'renhe', tier: 'grid', boundary: { type: 'Polygon', coordinates: [[[114, 33], [115, 33], [115, 34], [114, 34]]] } }, 400, 'body.boundary.coordinates.0'],
        [{ name: 'x', parentId: 'renhe', tier: 'grid', boundary: square(114, 33, 200, 34) }, 400, 'body.boundary.coordinates.0.1.0'],
        [{ name: 'x', parentId: 'renhe', tier: 'grid', boundary: { type: 'Point', coordinates: [114, 33] } }, 400, 'body.boundary.type'],
      ];
      for (const [body, status, path] of cases) {
        const res = await callAs('admin', 'POST', '/api/zones', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      }
      const facility = await callAs('admin', 'POST', '/api/facilities', { name: 'x', type: 'underpass', zoneId: 'renhe', lat: 95, lon: 114 });
      expect(facility.status).toBe(400);
      expect(facility.body.errors[0].path).toBe('body.lat');
    });
  });
});
