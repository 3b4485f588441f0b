import type { IConstruct } from 'constructs';
import { Address4, Address6 } from 'ip-address';
import { fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import { Secret } from '../core';

/**
 * linuxserver's SWAG mods, pulled by the container at start (DOCKER_MODS, pipe-separated). Mods are
 * versioned by linuxserver under these floating names; there is no ModSecurity mod.
 */
export const SWAG_MODS = {
  dbip: 'linuxserver/mods:swag-dbip',
  maxmind: 'linuxserver/mods:swag-maxmind',
  crowdsec: 'linuxserver/mods:swag-crowdsec',
} as const;

/** Where the geo mods keep their database inside the container. */
const GEOIP_DIR = '/config/geoip2db';

/** Port of CrowdSec's AppSec component (its documented default listen address is :7422). */
export const CROWDSEC_APPSEC_PORT = 7422;

/** A country database for geo-blocking, and the SWAG mod that downloads and refreshes it. */
export class GeoIpDatabase {
  /** DB-IP's free country database (CC BY 4.0): no account, no key. */
  static dbip(): GeoIpDatabase {
    return new GeoIpDatabase('dbip', SWAG_MODS.dbip, `${GEOIP_DIR}/dbip-country-lite.mmdb`, undefined);
  }

  /**
   * MaxMind GeoLite2 (the mod downloads the City database): needs a free account.
   * @param accountId the MaxMind account id (MAXMINDDB_USER_ID)
   * @param licenseKey the license key. @default Secret.vault('swag_maxmind_license_key')
   */
  static maxmind(accountId: number, licenseKey: Secret = Secret.vault('swag_maxmind_license_key')): GeoIpDatabase {
    return new GeoIpDatabase('maxmind', SWAG_MODS.maxmind, `${GEOIP_DIR}/GeoLite2-City.mmdb`, { accountId, licenseKey });
  }

  private constructor(
    readonly provider: 'dbip' | 'maxmind',
    readonly mod: string,
    /** The .mmdb file inside the container. */
    readonly path: string,
    readonly maxmind: { readonly accountId: number; readonly licenseKey: Secret } | undefined,
  ) {}
}

/** Geo-blocking of every routed web UI. */
export interface SwagGeoBlock {
  /** Countries whose clients may connect, as ISO 3166-1 alpha-2 codes ('DE', 'GB'). */
  readonly allowCountries: readonly string[];
  /** The country database. @default GeoIpDatabase.dbip() */
  readonly database?: GeoIpDatabase;
}

/** CrowdSec in front of every routed web UI: the nginx bouncer and, by default, AppSec (WAF rules). */
export interface SwagCrowdSec {
  /** URL of the CrowdSec Local API, e.g. 'http://10.10.10.60:8080' (CrowdSec itself runs elsewhere). */
  readonly lapiUrl: string;
  /** The bouncer's API key (`cscli bouncers add swag`). @default Secret.vault('swag_crowdsec_api_key') */
  readonly apiKey?: Secret;
  /**
   * URL of CrowdSec's AppSec component, the WAF-like layer (virtual patching, CRS-style rules);
   * false leaves AppSec off and keeps only IP reputation.
   * @default - port 7422 on the LAPI host
   */
  readonly appSecUrl?: string | false;
}

export interface ResolvedGeoBlock {
  readonly countries: readonly string[];
  readonly database: GeoIpDatabase;
}

export interface ResolvedCrowdSec {
  readonly lapiUrl: string;
  readonly apiKey: Secret;
  readonly appSecUrl: string | undefined;
}

/** Country codes people write that ISO 3166-1 spells otherwise. */
const NOT_ISO: Readonly<Record<string, string>> = { UK: 'GB', EL: 'GR' };

export function resolveGeoBlock(scope: IConstruct, g: SwagGeoBlock): ResolvedGeoBlock {
  if (g.allowCountries.length === 0) fail(scope, 'geoBlock.allowCountries is empty: every client would be blocked', "list the countries to allow, e.g. ['DE'], or leave geoBlock out");
  for (const c of g.allowCountries) {
    if (NOT_ISO[c]) fail(scope, `geoBlock country '${c}' is not an ISO 3166-1 code`, `write '${NOT_ISO[c]}'`);
    if (!/^[A-Z]{2}$/.test(c)) fail(scope, `geoBlock country '${c}' is not an ISO 3166-1 alpha-2 code`, "write two upper-case letters, e.g. 'DE'");
  }
  const database = g.database ?? GeoIpDatabase.dbip();
  const id = database.maxmind?.accountId;
  if (id !== undefined && (!Number.isInteger(id) || id <= 0)) fail(scope, `MaxMind account id ${id} is not a positive integer`, 'copy the account id from your MaxMind account page');
  return { countries: [...new Set(g.allowCountries)].sort(), database };
}

function httpUrl(scope: IConstruct, what: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    fail(scope, `${what} '${value}' is not a URL`, "write it as http://HOST:PORT, e.g. 'http://10.10.10.60:8080'");
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(scope, `${what} '${value}' is not an http(s) URL`, "write it as http://HOST:PORT, e.g. 'http://10.10.10.60:8080'");
  if (url.username || url.password) fail(scope, `${what} '${value}' carries credentials`, 'leave them out: the bouncer authenticates with apiKey, a vault secret');
  return url;
}

export function resolveCrowdSec(scope: IConstruct, c: SwagCrowdSec): ResolvedCrowdSec {
  const lapi = httpUrl(scope, 'crowdsec.lapiUrl', c.lapiUrl);
  let appSecUrl: string | undefined;
  // URL.hostname keeps the brackets of an IPv6 literal.
  if (c.appSecUrl === undefined) appSecUrl = `${lapi.protocol}//${lapi.hostname}:${CROWDSEC_APPSEC_PORT}`;
  else if (c.appSecUrl !== false) appSecUrl = httpUrl(scope, 'crowdsec.appSecUrl', c.appSecUrl).toString().replace(/\/$/, '');
  return { lapiUrl: c.lapiUrl.replace(/\/$/, ''), apiKey: c.apiKey ?? Secret.vault('swag_crowdsec_api_key'), appSecUrl };
}

/** DOCKER_MODS for the chosen options, in a fixed order; undefined when no mod is needed. */
export function dockerMods(opts: { geoBlock?: ResolvedGeoBlock; crowdsec?: ResolvedCrowdSec }): string | undefined {
  const mods = [opts.geoBlock?.database.mod, opts.crowdsec ? SWAG_MODS.crowdsec : undefined].filter((m): m is string => m !== undefined);
  return mods.length ? mods.join('|') : undefined;
}

/** Checks address ranges given as trusted networks (IPv4 or IPv6 CIDR, or a single address). */
export function checkAddressRanges(scope: IConstruct, what: string, ranges: readonly string[]): void {
  for (const r of ranges) {
    if (!Address4.isValid(r) && !Address6.isValid(r)) fail(scope, `${what} entry '${r}' is not an IP address or CIDR range`, "write it as '10.10.10.0/24' or '2001:db8::/64'");
  }
}

/** site-confs/homelab-geoblock.conf: the database lookup and the allow decision, in http context. */
export function renderGeoBlockConf(source: string, geo: ResolvedGeoBlock, trusted: readonly string[]): string {
  return renderTemplate('swag/geoblock.conf.hbs', {
    source,
    mod: geo.database.mod,
    database: geo.database.path,
    countries: geo.countries,
    trusted,
  });
}
