import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseReply } from './sms.js';
import { parseCap } from './warnings/cap.js';
import { parseNws, parseQWeather } from './warnings/feeds.js';
import { WarningParseError } from './warnings/types.js';
import { parsePlaybook, PlaybookError } from '../playbooks/loader.js';

/** A parser may refuse input only with its own error, which names where and why; anything else is a bug. */
function refusesOnlyWith(errorClass: new (...args: never[]) => Error, parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof errorClass)) throw error;
  }
}

const oddText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('\u0000', '\uFEFF<alert/>', '\uD800', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '‮RTL', 'é'.normalize('NFD'), '<![CDATA[', '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>'),
);
/** XML-ish text: tags from CAP's vocabulary with random content, so the parser gets past the first line. */
const xmlish = fc.array(fc.tuple(fc.constantFrom('alert', 'info', 'area', 'polygon', 'circle', 'geocode', 'identifier', 'sender', 'sent', 'status', 'msgType', 'event', 'severity', 'expires', 'references', 'language'), oddText), { maxLength: 12 })
  .map((parts) => `<?xml version="1.0"?><alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">${parts.map(([t, v]) => `<${t}>${v}</${t}>`).join('')}</alert>`);

describe('parsers on arbitrary input', () => {
  it('CAP: any text, or CAP-shaped XML with junk inside, parses or is refused with a WarningParseError', () => {
    fc.assert(fc.property(fc.oneof(oddText, xmlish), (text) => refusesOnlyWith(WarningParseError, () => parseCap(text))), { numRuns: 500 });
  });

  it('NWS and QWeather: any JSON value parses or is refused with a WarningParseError', () => {
    const shaped = fc.record({ features: fc.array(fc.record({ id: fc.anything(), properties: fc.dictionary(fc.constantFrom('id', 'event', 'severity', 'messageType', 'sent', 'expires', 'references', 'geocode', 'affectedZones'), fc.anything()) }), { maxLength: 3 }) });
    const qweather = fc.record({ code: fc.constantFrom('200', 200, 'x'), warning: fc.array(fc.dictionary(fc.constantFrom('id', 'sender', 'pubTime', 'title', 'startTime', 'endTime', 'status', 'severityColor', 'type', 'typeName'), fc.anything()), { maxLength: 3 }) });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), shaped), (value) => refusesOnlyWith(WarningParseError, () => parseNws(value))), { numRuns: 500 });
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), qweather), (value) => refusesOnlyWith(WarningParseError, () => parseQWeather(value))), { numRuns: 500 });
  });

  it('SMS replies: any text is understood or not, never an exception', () => {
    fc.assert(fc.property(oddText, (body) => {
      expect(parseReply(body)).toBeTypeOf('object');
    }), { numRuns: 1000 });
  });

  it('playbooks: any YAML parses or is refused with a PlaybookError naming the problem', () => {
    const yamlish = fc.dictionary(fc.constantFrom('id', 'title', 'hazard', 'levels', 'timers', 'steps', 'start', 'standDown', 'extra'), fc.jsonValue({ maxDepth: 3 }))
      .map((o) => JSON.stringify(o));
    fc.assert(fc.property(fc.oneof(oddText, yamlish), (source) => refusesOnlyWith(PlaybookError, () => parsePlaybook(source, 'fuzz.yaml'))), { numRuns: 300 });
  });

  it('playbooks: YAML that parses but cannot be resolved is refused with a PlaybookError', () => {
    // Found by the property above: an alias used before its anchor parses cleanly and fails only when resolved.
    expect(() => parsePlaybook('*-', 'fuzz.yaml')).toThrow(PlaybookError);
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(', ')}]`)].join('\n');
    expect(() => parsePlaybook(bomb, 'fuzz.yaml')).toThrow(PlaybookError);
  });

  it('refuses XML entity bombs and external entities rather than expanding them', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE l [${Array.from({ length: 10 }, (_, i) => `<!ENTITY e${i} "${i ? `&e${i - 1};`.repeat(10) : 'lol'}">`).join('')}]><alert><identifier>&e9;</identifier></alert>`;
    expect(() => parseCap(bomb)).toThrow(WarningParseError);
    expect(() => parseCap('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><alert><identifier>&x;</identifier></alert>')).toThrow(WarningParseError);
  });
});
