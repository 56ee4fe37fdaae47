import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCap } from './cap.js';
import { parseNws, parseQWeather } from './feeds.js';
import { WarningParseError } from './types.js';

const fixture = (name: string) => readFileSync(resolve('test/fixtures/feeds', name), 'utf8');

describe('CAP 1.2 from real issuers', () => {
  it('reads an NWS warning with a polygon (lat,lon turned into GeoJSON lon,lat) and SAME geocodes', () => {
    const w = parseCap(fixture('nws-severe-thunderstorm-polygon-same.cap'));
    expect(w).toMatchObject({ source: 'cap', msgType: 'Alert', status: 'Actual' });
    const info = w.infos[0];
    expect(info).toMatchObject({ language: 'en-US', severity: 'Severe' });
    const ring = info?.areas[0]?.polygons[0] ?? [];
    expect(ring.length).toBeGreaterThanOrEqual(4);
    expect(ring[0]?.[0]).toBeLessThan(-100); // longitude first
    expect(ring[0]).toEqual(ring.at(-1));
    expect(info?.areas[0]?.geocodes.filter((g) => g.valueName === 'SAME')).toHaveLength(3);
  });

  it('reads Updates with references (one or several, with newlines), in CAP 1.1 too', () => {
    expect(parseCap(fixture('tw-cwa-heavy-rain-20240424-2-update.cap'))).toMatchObject({ msgType: 'Update', references: ['CWA-Weather_extremely-rain_202404240305001'] });
    expect(parseCap(fixture('tw-cwa-heavy-rain-20240424-3-update-2refs.cap')).references).toHaveLength(2);
    expect(parseCap(fixture('eccc-2019-update-3refs-en-fr-polygons.xml')).references).toHaveLength(3);
    expect(parseCap(fixture('nws-cap11-flash-flood-watch-ugc.cap')).infos[0]?.areas[0]?.geocodes.some((g) => g.valueName === 'UGC')).toBe(true);
  });

  it('keeps every language of a multi-language alert, and circles', () => {
    const amber = parseCap(fixture('cap12-spec-a4-amber-en-es.xml'));
    expect(amber.infos.map((i) => i.language)).toEqual(['en-US', 'es-US']);
    const quake = parseCap(fixture('cap12-spec-a3-earthquake-update.xml'));
    expect(quake.infos[0]?.areas[0]?.circles[0]).toMatchObject({ radiusKm: 0 });
    const dwd = parseCap(fixture('dwd-wind-gusts-alert-8-languages.xml'));
    expect(dwd.infos).toHaveLength(8);
  });

  it('reads the colour of a signal from its parameters (Taiwan CWA)', () => {
    expect(parseCap(fixture('tw-cwa-heavy-rain-20240424-1-alert.cap')).infos[0]?.colour).toBeDefined();
  });

  it.each([
    ['an entity-expansion bomb', '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><alert>&lol2;</alert>', 'document'],
    ['an external entity', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><alert><identifier>&xxe;</identifier></alert>', 'document'],
    ['broken XML', '<alert><identifier>x</alert>', 'line'],
    ['no alert', '<feed/>', 'alert'],
    ['a missing identifier', '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><sender>s</sender><sent>2026-01-01T00:00:00+08:00</sent><status>Actual</status><msgType>Alert</msgType></alert>', 'alert.identifier'],
    ['an unknown msgType', '<alert><identifier>i</identifier><sender>s</sender><sent>t</sent><status>Actual</status><msgType>Shout</msgType></alert>', 'alert.msgType'],
  ])('refuses %s, naming where', (_what, xml, path) => {
    expect(() => parseCap(xml)).toThrow(WarningParseError);
    try {
      parseCap(xml);
    } catch (error) {
      expect((error as WarningParseError).path.startsWith(path)).toBe(true);
    }
  });
});

describe('NWS and QWeather JSON', () => {
  it('reads an api.weather.gov Update with no geometry, its UGC zones and references', () => {
    const [w] = parseNws(JSON.parse(fixture('nws-api-flood-watch-update-zone.json')));
    expect(w).toMatchObject({ source: 'nws', msgType: 'Update' });
    expect(w?.references).toHaveLength(4);
    expect(w?.infos[0]?.event).toBe('Flood Watch');
    expect(w?.infos[0]?.areas[0]?.geocodes.filter((g) => g.valueName === 'UGC')).toHaveLength(11);
  });

  it('reads QWeather v1 (gale blue update) and the legacy v7 format', () => {
    const [v1] = parseQWeather(JSON.parse(fixture('qweather-alert-v1-gale-blue-update-cn.json')));
    expect(v1).toMatchObject({ msgType: 'Update', references: ['202510181140100706230391'] });
    expect(v1?.infos[0]).toMatchObject({ event: '大风', colour: 'blue', severity: 'Minor', eventCodes: [{ valueName: 'QWEATHER', value: '1006' }] });
    const [v7] = parseQWeather(JSON.parse(fixture('qweather-v7-warning-now-gale-blue-cn.json')));
    expect(v7?.infos[0]).toMatchObject({ event: '大风', colour: 'blue' });
  });

  it('names the field when the JSON is not a feed', () => {
    expect(() => parseNws({ features: [{ properties: { id: 'x' } }] })).toThrow(/body\.features\.0\.properties/);
    expect(() => parseQWeather({ nothing: true })).toThrow(WarningParseError);
  });
});
