import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationChains, shifts } from '../db/schema/index.js';
import { addCrew } from '../test/fixtures.js';
import { testDatabase } from '../test/harness.js';
import { findCrewTiers } from './directory.js';

let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.dispose());

describe("a zone's escalation chain", () => {
  it('pages only chain crews of the task\'s specialty that are on shift (or not rostered), in chain order, before the walk up the grid', async () => {
    const { db } = database;
    const now = new Date('2026-07-15T03:00:00Z');
    // Chain crews are attached to the zone by the chain alone, not by their own coverage.
    await addCrew(db, { id: 'chain-off-shift', specialty: 'chain-drainage', zones: [] });
    await addCrew(db, { id: 'chain-gas', specialty: 'chain-gas', zones: [] });
    await addCrew(db, { id: 'chain-on-shift', specialty: 'chain-drainage', zones: [] });
    await addCrew(db, { id: 'chain-unrostered', specialty: 'chain-drainage', zones: [] });
    await addCrew(db, { id: 'street-drainage', specialty: 'chain-drainage', zones: ['renhe'] });
    await db.insert(shifts).values([
      { id: 'off', crewId: 'chain-off-shift', startsAt: '2026-07-15T12:00:00Z', endsAt: '2026-07-15T20:00:00Z' },
      { id: 'on', crewId: 'chain-on-shift', startsAt: '2026-07-15T00:00:00Z', endsAt: '2026-07-15T08:00:00Z' },
    ]);
    await db.insert(escalationChains).values([
      { zoneId: 'renhe', position: 1, crewId: 'chain-off-shift' },
      { zoneId: 'renhe', position: 2, crewId: 'chain-gas' },
      { zoneId: 'renhe', position: 3, crewId: 'chain-unrostered' },
      { zoneId: 'renhe', position: 4, crewId: 'chain-on-shift' },
    ]);
    const tiers = await findCrewTiers(db, { zoneId: 'renhe', specialty: 'chain-drainage' }, now);
    expect(tiers[0]).toEqual({ zoneId: 'renhe', tier: 'chain', crewIds: ['chain-unrostered', 'chain-on-shift'] });
    expect(tiers.find((t) => t.tier !== 'chain' && t.zoneId === 'renhe')?.crewIds).toEqual(['street-drainage']);
    // A gas task gets the gas crew from the chain and nobody from drainage.
    const gas = await findCrewTiers(db, { zoneId: 'renhe', specialty: 'chain-gas' }, now);
    expect(gas.flatMap((t) => t.crewIds)).toEqual(['chain-gas']);
  });
});
