/** China's four response levels, IV (blue, least severe) to I (red, most severe). */
export const levels = ['IV', 'III', 'II', 'I'] as const;
export type Level = (typeof levels)[number];

/** Warning colours as China's signals name them, by response level. */
export const levelColour: Record<Level, 'blue' | 'yellow' | 'orange' | 'red'> = { IV: 'blue', III: 'yellow', II: 'orange', I: 'red' };

/** Rank where a higher number is more severe: IV=1 … I=4. */
export function levelRank(level: Level): number {
  return levels.indexOf(level) + 1;
}

export function isMoreSevere(a: Level, b: Level): boolean {
  return levelRank(a) > levelRank(b);
}

export interface LevelCondition { levels?: Level[] | undefined; minLevel?: Level | undefined; maxLevel?: Level | undefined }

/** Whether a step guarded by `when` applies at `level`; no condition means always. */
export function levelMatches(when: LevelCondition | undefined, level: Level): boolean {
  if (!when) return true;
  if (when.levels && !when.levels.includes(level)) return false;
  if (when.minLevel && levelRank(level) < levelRank(when.minLevel)) return false;
  if (when.maxLevel && levelRank(level) > levelRank(when.maxLevel)) return false;
  return true;
}
