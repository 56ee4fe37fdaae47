import type { Db } from '../db/client.js';
import { crewZones, crews, members } from '../db/schema/index.js';

let phone = 13900000000;

/** Adds a crew covering `zones`, with a supervisor and one more member, and returns their ids. */
export async function addCrew(db: Db, crew: { id: string; specialty: string; zones: string[]; language?: 'zh-CN' | 'en' }): Promise<{ crewId: string; memberIds: string[] }> {
  await db.insert(crews).values({ id: crew.id, name: `Crew ${crew.id}`, specialty: crew.specialty });
  if (crew.zones.length) await db.insert(crewZones).values(crew.zones.map((zoneId) => ({ crewId: crew.id, zoneId })));
  const memberIds = [`${crew.id}-lead`, `${crew.id}-2`];
  await db.insert(members).values(memberIds.map((id, i) => ({ id, crewId: crew.id, name: id, phone: `+86${(phone += 1)}`, language: crew.language ?? 'zh-CN', supervisor: i === 0 })));
  return { crewId: crew.id, memberIds };
}
