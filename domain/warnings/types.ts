/** A warning as Stormdesk reasons about it, whatever feed it came from (CAP 1.2, NWS GeoJSON, QWeather). */
export interface Warning {
  source: 'cap' | 'nws' | 'qweather';
  /** Stable key of the message: (sender, identifier) as CAP keys its store. */
  sender: string;
  identifier: string;
  sent: string;
  status: string;
  msgType: 'Alert' | 'Update' | 'Cancel';
  /** Identifiers of the messages this one updates or cancels. */
  references: string[];
  infos: WarningInfo[];
}

export interface WarningInfo {
  language: string;
  event: string;
  eventCodes: { valueName: string; value: string }[];
  severity: string;
  urgency: string;
  certainty: string;
  responseTypes: string[];
  expires?: string | undefined;
  headline?: string | undefined;
  /** Colour of a Chinese warning signal, when the feed names it. */
  colour?: 'blue' | 'yellow' | 'orange' | 'red' | undefined;
  areas: WarningArea[];
}

export interface WarningArea {
  description: string;
  /** Rings as GeoJSON positions [lon, lat] (CAP writes lat,lon; converted on parsing). */
  polygons: [number, number][][];
  circles: { lat: number; lon: number; radiusKm: number }[];
  geocodes: { valueName: string; value: string }[];
}

/** A feed document that cannot be read, naming where. */
export class WarningParseError extends Error {
  constructor(readonly path: string, readonly problem: string) {
    super(`${path}: ${problem}`);
  }
}
