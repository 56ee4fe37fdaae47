/** A drill in 人和街道 on the heavy-rain playbook, as a coordinator would post it. */
export const drillBody = (extra: Record<string, unknown> = {}) => ({
  name: '人和街道暴雨演练', playbookId: 'heavy-rain', zoneId: 'renhe', level: 'III',
  participants: ['crew-drain-shahe', 'crew-patrol-renhe', 'crew-pump-city'],
  objectives: [{ id: 'ack-5m', kind: 'ack-within', within: '5m' }, { id: 'underpass', kind: 'done-within', within: '20m', stepId: 'close-underpasses', facilityId: 'underpass-renmin' }],
  injects: [{ id: 'orange', at: '5m', kind: 'warning', level: 'II', headline: 'orange rainstorm warning' }, { id: 'gauge', at: '10m', kind: 'reading', sensorId: 'depth-underpass-renmin', value: 0.3, unit: 'm' }],
  ...extra,
});
