import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { WarningParseError, type Warning, type WarningArea, type WarningInfo } from './types.js';

const capNamespaces = ['urn:oasis:names:tc:emergency:cap:1.2', 'urn:oasis:names:tc:emergency:cap:1.1'];
const arrays = new Set(['info', 'area', 'polygon', 'circle', 'geocode', 'eventCode', 'parameter', 'responseType', 'category', 'code', 'resource']);

const parser = new XMLParser({
  ignoreAttributes: false,
  removeNSPrefix: true,
  trimValues: true,
  parseTagValue: false,
  // No entity processing at all: CAP needs none, and it closes the door on expansion bombs.
  processEntities: false,
  isArray: (name) => arrays.has(name),
});

type Node = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : v && typeof v === 'object' && '#text' in v ? String((v as Node)['#text']).trim() : '');
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);
const pairs = (v: unknown) => list(v).map((p) => ({ valueName: text(p.valueName), value: text(p.value) })).filter((p) => p.valueName);

/**
 * Reads a CAP 1.2 (or 1.1) alert from any issuer. Refuses DTDs and entities outright (XML bombs,
 * external entities), tolerates the defects real feeds have (empty polygons, trailing commas,
 * references with newlines, XML comments).
 */
export function parseCap(xml: string): Warning {
  const body = xml.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE|<!ENTITY/i.test(body)) throw new WarningParseError('document', 'DTDs and entities are not allowed in CAP');
  const valid = XMLValidator.validate(body);
  if (valid !== true) throw new WarningParseError(`line ${valid.err.line}`, `not well-formed XML: ${valid.err.msg}`);
  const doc = parser.parse(body) as Node;
  const alert = doc.alert as Node | undefined;
  if (!alert || typeof alert !== 'object') throw new WarningParseError('alert', 'the document has no <alert> element');
  const ns = text(alert['@_xmlns']);
  if (ns && !capNamespaces.includes(ns)) throw new WarningParseError('alert', `namespace ${ns} is not CAP 1.1 or 1.2`);
  const need = (field: string) => {
    const value = text(alert[field]);
    if (!value) throw new WarningParseError(`alert.${field}`, 'is required');
    return value;
  };
  const msgType = need('msgType');
  if (!['Alert', 'Update', 'Cancel'].includes(msgType)) throw new WarningParseError('alert.msgType', `"${msgType}" is not Alert, Update or Cancel`);
  return {
    source: 'cap',
    sender: need('sender'),
    identifier: need('identifier'),
    sent: need('sent'),
    status: need('status'),
    msgType: msgType as Warning['msgType'],
    // Whitespace-separated sender,identifier,sent triples; keep the identifiers.
    references: text(alert.references).split(/\s+/).filter(Boolean).map((t) => t.split(',')[1] ?? '').filter(Boolean),
    infos: list(alert.info).map((info, i) => parseInfo(info, `alert.info[${i}]`)),
  };
}

function parseInfo(info: Node, path: string): WarningInfo {
  return {
    language: text(info.language) || 'en-US',
    event: text(info.event),
    eventCodes: pairs(info.eventCode),
    severity: text(info.severity) || 'Unknown',
    urgency: text(info.urgency) || 'Unknown',
    certainty: text(info.certainty) || 'Unknown',
    responseTypes: (Array.isArray(info.responseType) ? info.responseType : []).map(text).filter(Boolean),
    expires: text(info.expires) || undefined,
    headline: text(info.headline) || undefined,
    colour: colourOf(pairs(info.parameter)),
    areas: list(info.area).map((a, k) => parseArea(a, `${path}.area[${k}]`)),
  };
}

function colourOf(parameters: { valueName: string; value: string }[]): WarningInfo['colour'] {
  const named = parameters.find((p) => /color|colour/i.test(p.valueName))?.value ?? '';
  const map: [RegExp, WarningInfo['colour']][] = [[/red|紅|红/i, 'red'], [/orange|橙/i, 'orange'], [/yellow|黃|黄/i, 'yellow'], [/blue|藍|蓝/i, 'blue']];
  return map.find(([re]) => re.test(named))?.[1];
}

function parseArea(area: Node, path: string): WarningArea {
  const polygons = (Array.isArray(area.polygon) ? area.polygon : []).map(text).filter(Boolean).flatMap((p, i) => {
    const points = p.split(/\s+/).map((pair) => pair.replace(/,+$/, '').split(',').map(Number)).filter((xy) => xy.length >= 2 && xy.every(Number.isFinite));
    if (points.length < 3) return [];
    for (const [lat, lon] of points) {
      if (lat === undefined || lon === undefined || Math.abs(lat) > 90 || Math.abs(lon) > 180) throw new WarningParseError(`${path}.polygon[${i}]`, `"${lat},${lon}" is not a latitude,longitude pair`);
    }
    const ring = points.map(([lat, lon]) => [lon, lat] as [number, number]);
    const [first, last] = [ring[0], ring.at(-1)];
    if (first && last && (first[0] !== last[0] || first[1] !== last[1])) ring.push(first);
    return ring.length >= 4 ? [ring] : [];
  });
  const circles = (Array.isArray(area.circle) ? area.circle : []).map(text).filter(Boolean).flatMap((c) => {
    const match = /^\s*([-+]?\d+(?:\.\d+)?),([-+]?\d+(?:\.\d+)?)\s+(\d+(?:\.\d+)?)\s*$/.exec(c);
    return match ? [{ lat: Number(match[1]), lon: Number(match[2]), radiusKm: Number(match[3]) }] : [];
  });
  return { description: text(area.areaDesc), polygons, circles, geocodes: pairs(area.geocode) };
}
