import { describe, expect, it } from 'vitest';
import { nextCandidate, uncoveredCells, type CrewTier } from './dispatch.js';
import { ancestry, gridCells, subtree, type GridZone } from './grid.js';

const tiers: CrewTier[] = [
  { zoneId: 'renhe-g1', tier: 'grid', crewIds: [] },
  { zoneId: 'renhe', tier: 'street', crewIds: ['patrol-a', 'patrol-b', 'patrol-c'] },
  { zoneId: 'shahe', tier: 'district', crewIds: ['drain-shahe'] },
  { zoneId: 'zhouhe', tier: 'city', crewIds: ['pump-city', 'patrol-a'] },
];

describe('choosing the next crew for a task', () => {
  it('starts with the nearest tier that has crews', () => {
    expect(nextCandidate(tiers, [], 2)).toEqual({ crewId: 'patrol-a', zoneId: 'renhe' });
  });

  it('tries at most attemptsPerTier crews at a tier, then escalates up the grid', () => {
    const tried = [{ crewId: 'patrol-a', zoneId: 'renhe' }, { crewId: 'patrol-b', zoneId: 'renhe' }];
    expect(nextCandidate(tiers, tried, 2)).toEqual({ crewId: 'drain-shahe', zoneId: 'shahe' });
  });

  it('never asks the same crew twice, even when it also covers a higher tier', () => {
    const tried = [{ crewId: 'patrol-a', zoneId: 'renhe' }, { crewId: 'patrol-b', zoneId: 'renhe' }, { crewId: 'drain-shahe', zoneId: 'shahe' }];
    expect(nextCandidate(tiers, tried, 2)).toEqual({ crewId: 'pump-city', zoneId: 'zhouhe' });
    expect(nextCandidate(tiers, [...tried, { crewId: 'pump-city', zoneId: 'zhouhe' }], 2)).toBeUndefined();
  });
});

describe('quorum per grid cell', () => {
  it('lists the cells with fewer acknowledged crews than the quorum', () => {
    const cells = [{ cellId: 'g1', crewIds: ['a', 'b'] }, { cellId: 'g2', crewIds: ['b', 'c'] }, { cellId: 'g3', crewIds: ['d'] }];
    expect(uncoveredCells(cells, new Set(['a', 'b']), 2)).toEqual(['g2', 'g3']);
    expect(uncoveredCells(cells, new Set(['a', 'b', 'c', 'd']), 1)).toEqual([]);
  });
});

describe('the grid', () => {
  const zones: GridZone[] = [
    { id: 'city', parentId: null, tier: 'city' },
    { id: 'd1', parentId: 'city', tier: 'district' },
    { id: 's1', parentId: 'd1', tier: 'street' },
    { id: 'g1', parentId: 's1', tier: 'grid' },
    { id: 'g2', parentId: 's1', tier: 'grid' },
  ];
  it('walks up from a grid cell to the city', () => {
    expect(ancestry(zones, 'g1').map((z) => z.id)).toEqual(['g1', 's1', 'd1', 'city']);
  });
  it('finds the grid cells under a district', () => {
    expect(gridCells(zones, 'd1').map((z) => z.id)).toEqual(['g1', 'g2']);
    expect([...subtree(zones, 's1')].sort()).toEqual(['g1', 'g2', 's1']);
  });
});
