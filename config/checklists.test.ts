import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { facilityTypes } from '../db/schema/zones.js';
import { loadChecklists } from './checklists.js';

describe('checklist templates', () => {
  it('ship a checklist for every facility type, each naming the specialty that fixes its failures', () => {
    const templates = loadChecklists();
    for (const type of facilityTypes) {
      expect(templates[type]?.items.length, type).toBeGreaterThan(0);
      expect(templates[type]?.remediation, type).toBeTruthy();
    }
    expect(templates['gas-regulator']?.items.find((i) => i.id === 'outlet-pressure')).toMatchObject({ measure: { unit: 'kPa', min: 2, max: 3.5 }, severity: 'critical' });
  });

  it('fail to load on a typo, naming where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stormdesk-checklists-'));
    try {
      const file = join(dir, 'checklists.yaml');
      writeFileSync(file, 'pumping-station:\n  remediation: pumping-ops\n  items:\n    - id: pump-test-run\n      label: { zh-CN: 试运行, en: Test run }\n      severity: catastrophic\n');
      expect(() => loadChecklists(file)).toThrow(/pumping-station\.items\.0\.severity/);
      writeFileSync(file, 'hospital:\n  remediation: x\n  items: []\n');
      expect(() => loadChecklists(file)).toThrow(/hospital/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
