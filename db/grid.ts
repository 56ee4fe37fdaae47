import type { Db } from './client.js';
import { zones } from './schema/index.js';

/** The city's grid as the pure functions in domain/grid.ts take it (with names, for messages). */
export function loadGrid(db: Db) {
  return db.select({ id: zones.id, parentId: zones.parentId, tier: zones.tier, name: zones.name, nameEn: zones.nameEn }).from(zones);
}
