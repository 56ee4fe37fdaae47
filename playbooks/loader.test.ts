import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlaybooks, parsePlaybook, PlaybookError } from './loader.js';
import { readFileSync } from 'node:fs';

const dutyCheck = readFileSync(resolve('playbooks/duty-check.yaml'), 'utf8');

function problem(source: string, file = 'duty-check.yaml'): PlaybookError {
  try {
    parsePlaybook(source, file);
  } catch (error) {
    if (error instanceof PlaybookError) return error;
    throw error;
  }
  throw new Error('expected the playbook to be refused');
}

describe('the playbook loader', () => {
  it('loads every playbook in playbooks/ without errors', () => {
    const { playbooks, errors } = loadPlaybooks(resolve('playbooks'));
    expect(errors.map((e) => e.message)).toEqual([]);
    expect(playbooks.get('duty-check')).toMatchObject({ hazard: 'duty-check', timers: { consultWindow: 600_000, settle: 2_000 } });
  });

  it('derives the version from content, so an edit gives a new version and a comment does not', () => {
    const a = parsePlaybook(dutyCheck, 'duty-check.yaml');
    expect(parsePlaybook(`# a comment\n${dutyCheck}`, 'duty-check.yaml').version).toBe(a.version);
    expect(parsePlaybook(dutyCheck.replace('settle: 2s', 'settle: 3s'), 'duty-check.yaml').version).not.toBe(a.version);
  });

  it.each([
    ['an unknown field', dutyCheck.replace('hazard: duty-check', 'hazard: duty-check\ncolour: red'), 'colour', /not a known field/],
    ['a wrong step kind', dutyCheck.replace('kind: wait', 'kind: sleep'), 'steps[2]', /./],
    ['a timer that is not defined', dutyCheck.replace('for: settle', 'for: nap'), 'steps[2].for', /timer "nap" is not defined/],
    ['a default that is not an option', dutyCheck.replace('default: watch', 'default: panic'), 'steps[1].default', /"panic" is not one of the options/],
    ['a duplicate step id', dutyCheck.replace('- id: settle', '- id: consult'), 'steps[2].id', /used twice/],
    ['a bad duration', dutyCheck.replace('settle: 2s', 'settle: two seconds'), 'timers.settle', /must be a duration/],
    ['an unknown level', dutyCheck.replace('levels: [IV, III, II, I]', 'levels: [V]'), 'levels[0]', /./],
    ['broken YAML', dutyCheck.replace('steps:', 'steps: [unclosed'), 'line', /./],
  ])('refuses %s, naming the file, the path and the problem', (_what, source, path, why) => {
    const error = problem(source);
    expect(error.file).toBe('duty-check.yaml');
    expect(error.path.startsWith(path) || error.path === path).toBe(true);
    expect(error.problem).toMatch(why);
    expect(error.message).toContain('duty-check.yaml: ');
  });

  it('reports an invalid file without dropping the valid ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'playbooks-'));
    writeFileSync(join(dir, 'duty-check.yaml'), dutyCheck);
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\n');
    const { playbooks, errors } = loadPlaybooks(dir);
    expect([...playbooks.keys()]).toEqual(['duty-check']);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.file).toBe('broken.yaml');
  });
});

describe('the playbook JSON Schema', () => {
  it('is generated from the loader schema and committed up to date (npm run playbooks:schema)', async () => {
    const { playbookJsonSchema } = await import('./json-schema.js');
    expect(readFileSync(resolve('playbooks/playbook.schema.json'), 'utf8')).toBe(playbookJsonSchema());
  });
});
