import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseDuration } from '../domain/duration.js';
import { playbookSchema, type Playbook, type PlaybookSource, type Step } from './schema.js';

export class PlaybookError extends Error {
  constructor(readonly file: string, readonly path: string, readonly problem: string) {
    super(`${file}: ${path || '(root)'}: ${problem}`);
  }
}

export interface LoadResult { playbooks: Map<string, Playbook>; errors: PlaybookError[] }

/** Loads every *.yaml in `dir`; an invalid file is reported, never half-loaded. */
export function loadPlaybooks(dir: string): LoadResult {
  const playbooks = new Map<string, Playbook>();
  const errors: PlaybookError[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    try {
      const playbook = parsePlaybook(readFileSync(join(dir, name), 'utf8'), name);
      const clash = playbooks.get(playbook.id);
      if (clash) throw new PlaybookError(name, 'id', `"${playbook.id}" is already used by another file`);
      playbooks.set(playbook.id, playbook);
    } catch (error) {
      errors.push(error instanceof PlaybookError ? error : new PlaybookError(name, '', String(error)));
    }
  }
  return { playbooks, errors };
}

/** Parses and validates one playbook's YAML text; `file` only names it in errors. */
export function parsePlaybook(source: string, file: string): Playbook {
  const doc = parseDocument(source, { uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) throw new PlaybookError(file, `line ${yamlError.linePos?.[0].line ?? '?'}`, yamlError.message.split('\n')[0] ?? 'invalid YAML');
  const parsed = playbookSchema.safeParse(toPlainData(doc, file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // Name the unknown field itself, which is what a person has to delete.
    const path = issue ? [...issue.path, ...(issue.code === 'unrecognized_keys' ? issue.keys.slice(0, 1) : [])] : [];
    const message = issue?.code === 'unrecognized_keys' ? 'is not a known field' : issue?.message ?? 'invalid';
    throw new PlaybookError(file, formatPath(path), message);
  }
  const expected = basename(file, '.yaml');
  if (parsed.data.id !== expected && file.endsWith('.yaml')) {
    throw new PlaybookError(file, 'id', `must match the file name ("${expected}")`);
  }
  checkReferences(parsed.data, file);
  const { $schema: _schema, ...definition } = parsed.data;
  const timers = Object.fromEntries(Object.entries(definition.timers).map(([k, v]) => [k, parseDuration(v)]));
  return { ...definition, timers, version: contentVersion(definition) };
}

/** Resolving aliases can still fail after a clean parse (an alias before its anchor, an alias bomb). */
function toPlainData(doc: ReturnType<typeof parseDocument>, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new PlaybookError(file, '', error instanceof Error ? error.message : String(error));
  }
}

/** The version is a hash of the validated content, so any edit that matters yields a new one. */
function contentVersion(definition: Omit<PlaybookSource, '$schema'>): string {
  return createHash('sha256').update(canonicalJson(definition)).digest('hex').slice(0, 12);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}

/** Checks what zod cannot see alone: unique step ids, timer names that exist, a default among the options. */
function checkReferences(playbook: PlaybookSource, file: string): void {
  const seen = new Set<string>();
  const timer = (path: string, name: string | undefined) => {
    if (name !== undefined && !(name in playbook.timers)) throw new PlaybookError(file, path, `timer "${name}" is not defined in timers`);
  };
  timer('start.confirmTimeout', playbook.start.confirmTimeout);
  const decisions = new Map<string, string[]>();
  const visit = (steps: Step[], path: string) => {
    steps.forEach((s, i) => {
      const at = `${path}[${i}]`;
      const decided = s.when?.decided;
      if (decided && !decisions.get(decided.step)?.includes(decided.option)) {
        throw new PlaybookError(file, `${at}.when.decided`, `no earlier decision step "${decided.step}" with option "${decided.option}"`);
      }
      if (seen.has(s.id)) throw new PlaybookError(file, `${at}.id`, `step id "${s.id}" is used twice`);
      seen.add(s.id);
      for (const level of s.when?.levels ?? []) {
        if (!playbook.levels.includes(level)) throw new PlaybookError(file, `${at}.when.levels`, `level ${level} is not among the playbook's levels`);
      }
      switch (s.kind) {
        case 'notify': timer(`${at}.ack.timeout`, s.ack?.timeout); break;
        case 'dispatch': timer(`${at}.ackTimeout`, s.ackTimeout); timer(`${at}.verify.timeout`, s.verify.timeout); break;
        case 'decision':
          decisions.set(s.id, s.options.map((o) => o.id));
          timer(`${at}.timeout`, s.timeout); timer(`${at}.deputyTimeout`, s.deputyTimeout);
          if (!s.options.some((o) => o.id === s.default)) throw new PlaybookError(file, `${at}.default`, `"${s.default}" is not one of the options`);
          break;
        case 'wait':
          timer(`${at}.for`, s.for); timer(`${at}.timeout`, s.timeout);
          if (!s.for && !s.until) throw new PlaybookError(file, at, 'a wait needs "for" (a timer) or "until" (a condition)');
          break;
        case 'sequence': case 'parallel': visit(s.steps, `${at}.steps`); break;
        case 'checklist': break;
      }
    });
  };
  visit(playbook.steps, 'steps');
}
