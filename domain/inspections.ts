import type { ChecklistItem, ItemResult, Severity } from '../db/schema/campaigns.js';

/** One item's verdict: a measured value outside its range fails even when marked pass. */
export function itemFails(item: ChecklistItem, result: ItemResult): boolean {
  if (result.outcome === 'fail') return true;
  if (result.outcome === 'n/a' || !item.measure || result.value === undefined) return false;
  const { min, max } = item.measure;
  return (min !== undefined && result.value < min) || (max !== undefined && result.value > max);
}

export interface FailedItem { itemId: string; severity: Severity; title: string }

/**
 * Checks a set of results against the checklist: every item answered once, values where an item
 * measures, and returns the failures (each becomes a finding) or the problems, by field path.
 */
export function evaluateResults(checklist: readonly ChecklistItem[], results: readonly ItemResult[]): { failed: FailedItem[]; problems: { path: string; message: string }[] } {
  const problems: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  results.forEach((r, i) => {
    const item = checklist.find((c) => c.id === r.itemId);
    if (!item) problems.push({ path: `body.results.${i}.itemId`, message: `not an item of this checklist (${checklist.map((c) => c.id).join(', ')})` });
    else if (seen.has(r.itemId)) problems.push({ path: `body.results.${i}.itemId`, message: 'answered twice' });
    else if (item.measure && r.outcome !== 'n/a' && r.value === undefined) problems.push({ path: `body.results.${i}.value`, message: `required: measured in ${item.measure.unit}` });
    seen.add(r.itemId);
  });
  const missing = checklist.filter((c) => !seen.has(c.id));
  if (missing.length) problems.push({ path: 'body.results', message: `missing items: ${missing.map((c) => c.id).join(', ')}` });
  const failed = problems.length ? [] : checklist.flatMap((item) => {
    const result = results.find((r) => r.itemId === item.id);
    return result && itemFails(item, result) ? [{ itemId: item.id, severity: item.severity, title: item.label['zh-CN'] }] : [];
  });
  return { failed, problems };
}
