/**
 * Workflow ids are business keys: one open incident per hazard and zone, so duplicate triggers
 * and double clicks collapse onto the run that is already open. Drills get their own ids and
 * never merge with real incidents.
 */
export function incidentWorkflowId(hazard: string, zoneId: string): string {
  return `incident:${hazard}:${zoneId}`;
}

export function drillWorkflowId(hazard: string, zoneId: string, runId: string): string {
  return `drill:${hazard}:${zoneId}:${runId}`;
}
