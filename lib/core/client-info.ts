// What sessions and logs say about the client: device fields from the user agent and a country
// name for a country code.

export interface ClientInfo {
  osCode: string;
  osName: string;
  osVersion: string;
  clientType: string;
  clientCode: string;
  clientName: string;
  clientVersion: string;
  clientEngine: string;
  clientEngineVersion: string;
  deviceName: string;
  deviceBrand: string;
  deviceModel: string;
}

const UNKNOWN_CLIENT: ClientInfo = Object.freeze({
  osCode: '',
  osName: '',
  osVersion: '',
  clientType: '',
  clientCode: '',
  clientName: '',
  clientVersion: '',
  clientEngine: '',
  clientEngineVersion: '',
  deviceName: '',
  deviceBrand: '',
  deviceModel: '',
});

/** Device fields for a user agent; blank until a user-agent parser is configured. */
export function describeClient(_userAgent: string): ClientInfo {
  return UNKNOWN_CLIENT;
}

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

/** English country name for a lower-case alpha-2 code; `Unknown` for `--` or anything unrecognised. */
export function countryName(code: string): string {
  if (!/^[a-z]{2}$/.test(code)) return 'Unknown';
  const name = regionNames.of(code.toUpperCase());
  return name && name !== code.toUpperCase() ? name : 'Unknown';
}
