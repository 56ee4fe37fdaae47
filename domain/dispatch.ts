/** Crews able to take a task, tier by tier up the grid from the task's zone. */
export interface CrewTier { zoneId: string; tier: string; crewIds: string[] }
export interface Attempt { crewId: string; zoneId: string }

/**
 * The next crew to try: at most `attemptsPerTier` crews at one tier of the grid, then up a tier
 * (community → street → district → city). Undefined when every tier is exhausted, which is
 * when the duty officer must step in.
 */
export function nextCandidate(tiers: readonly CrewTier[], tried: readonly Attempt[], attemptsPerTier: number): Attempt | undefined {
  const triedCrews = new Set(tried.map((a) => a.crewId));
  for (const tier of tiers) {
    const usedHere = tried.filter((a) => a.zoneId === tier.zoneId).length;
    if (usedHere >= attemptsPerTier) continue;
    const crewId = tier.crewIds.find((id) => !triedCrews.has(id));
    if (crewId) return { crewId, zoneId: tier.zoneId };
  }
  return undefined;
}

/** Grid cells whose acknowledged crews number fewer than the quorum asks. */
export function uncoveredCells(cells: readonly { cellId: string; crewIds: string[] }[], acknowledged: ReadonlySet<string>, perCell: number): string[] {
  return cells.filter((c) => c.crewIds.filter((id) => acknowledged.has(id)).length < perCell).map((c) => c.cellId);
}
