import type { Connection } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, TypedSearchAttributes } from '@temporalio/common';

/** Lets the Temporal UI filter runs by hazard, zone and level (registered when the dev server's DB is created). */
export const hazardKey = defineSearchAttributeKey('StormdeskHazard', SearchAttributeType.KEYWORD);
export const zoneKey = defineSearchAttributeKey('StormdeskZone', SearchAttributeType.KEYWORD);
export const levelKey = defineSearchAttributeKey('StormdeskLevel', SearchAttributeType.KEYWORD);

export function runSearchAttributes(hazard: string, zoneId: string, level: string): TypedSearchAttributes {
  return new TypedSearchAttributes([
    { key: hazardKey, value: hazard },
    { key: zoneKey, value: zoneId },
    { key: levelKey, value: level },
  ]);
}

/**
 * Registers the attributes on a cluster that lacks them (a dev server's DB created elsewhere, a
 * self-hosted cluster). Returns false when the cluster refuses, so runs start without them.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<boolean> {
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = [hazardKey, zoneKey, levelKey].filter((k) => !(k.name in (existing.customAttributes ?? {})));
    if (!missing.length) return true;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map((k) => [k.name, 2 /* INDEXED_VALUE_TYPE_KEYWORD */])),
    });
    return true;
  } catch {
    return false;
  }
}
