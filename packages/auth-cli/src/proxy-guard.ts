import { isIP } from 'node:net';

/** The address the proxy listens on, as `server.address()` reports it. */
export interface BoundAddress {
  address: string;
  port: number;
}

/** 127.0.0.0/8, ::1 (also IPv4-mapped) and localhost. */
export function isLoopbackName(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^(?:::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare)
  );
}

const WILDCARD = new Set(['0.0.0.0', '::', '']);

/**
 * Decides whether a `Host` header names this proxy. A web page cannot choose the IP its
 * browser connects to, but it can make a name it controls resolve to 127.0.0.1 (DNS
 * rebinding): such a request arrives with that name as its `Host`, so only IP literals,
 * `localhost` and names the user listed pass, and only with the proxy's own port.
 */
export function createHostCheck(bound: BoundAddress, extraNames: readonly string[]) {
  const port = String(bound.port);
  const names = new Set(extraNames.map((n) => n.toLowerCase()));
  const loopbackBind = isLoopbackName(bound.address);
  const wildcard = WILDCARD.has(bound.address);
  const own = bound.address.includes(':') ? `[${bound.address}]` : bound.address;
  // Clients send the same Host on every request: remember the last one that passed.
  let lastAccepted: string | undefined;
  const check = (hostHeader: string | undefined): boolean => {
    if (hostHeader === undefined) return false;
    const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d+)$/i.exec(hostHeader.trim());
    if (match === null || match[2] !== port) return false;
    const host = (match[1] ?? '').toLowerCase();
    if (names.has(host)) return true;
    if (host === own.toLowerCase()) return true;
    if (loopbackBind || wildcard) {
      if (isLoopbackName(host)) return true;
    }
    // Bound to every interface: any of the machine's IPs is a legitimate way in; a name is not.
    return wildcard && isIP(host.replace(/^\[|\]$/g, '')) !== 0;
  };
  return function isOwnHost(hostHeader: string | undefined): boolean {
    if (hostHeader !== undefined && hostHeader === lastAccepted) return true;
    const ok = check(hostHeader);
    if (ok) lastAccepted = hostHeader;
    return ok;
  };
}

/**
 * A browser request made by another site (`Sec-Fetch-Site`, or an `Origin` that is not the
 * proxy's own): refused, so a page cannot use the proxy's credentials (CSRF). curl and
 * programs send neither header.
 */
export function isCrossSite(
  headers: { origin?: string | undefined; 'sec-fetch-site'?: string | string[] | undefined },
  hostHeader: string,
): boolean {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return true;
  const origin = headers.origin;
  return origin !== undefined && origin !== `http://${hostHeader}`;
}
