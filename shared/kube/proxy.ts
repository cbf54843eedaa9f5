/**
 * Which proxy kubectl would use to reach a cluster: the cluster's `proxy-url`, else Go's
 * http.ProxyFromEnvironment (golang.org/x/net/http/httpproxy), which client-go uses when a
 * kubeconfig names no proxy:
 *  - HTTPS_PROXY (then https_proxy) for https:// servers, HTTP_PROXY (then http_proxy) for http://;
 *  - never for `localhost` or a loopback IP;
 *  - not when NO_PROXY (then no_proxy) matches: `*`, an IP, a CIDR, `host`, `.host` or `*.host`
 *    (a bare name also matches its subdomains), each optionally with `:port`.
 * client-node ignores these variables entirely; we hand the result to it as the cluster's
 * proxy-url so that a proxied cluster is reached the way kubectl reaches it.
 */
import net from 'node:net';

/** proxyForServer returns the proxy URL for `server`, or undefined to connect directly. */
export function proxyForServer(
  server: string,
  proxyUrl: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  if (proxyUrl) return proxyUrl;
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return undefined;
  }
  const secure = url.protocol === 'https:';
  const fromEnv = secure ? firstSet(env, 'HTTPS_PROXY', 'https_proxy') : firstSet(env, 'HTTP_PROXY', 'http_proxy');
  if (!fromEnv) return undefined;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (secure ? '443' : '80');
  if (host === 'localhost' || isLoopback(host)) return undefined;
  if (excludedByNoProxy(host, port, firstSet(env, 'NO_PROXY', 'no_proxy') ?? '')) return undefined;
  // Go reads a proxy without a scheme ("proxy:3128") as http://.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(fromEnv) ? fromEnv : `http://${fromEnv}`;
}

function firstSet(env: Readonly<Record<string, string | undefined>>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value) return value;
  }
  return undefined;
}

function isLoopback(host: string): boolean {
  if (net.isIPv4(host)) return host.startsWith('127.');
  if (net.isIPv6(host)) return host === '::1' || host === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(host);
  return false;
}

/** excludedByNoProxy applies httpproxy's NO_PROXY matching to one host and port. */
export function excludedByNoProxy(host: string, port: string, noProxy: string): boolean {
  const ip = net.isIP(host) ? host : undefined;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    if (entry.includes('/')) {
      if (ip && inCidr(ip, entry)) return true;
      continue;
    }
    const { host: entryHost, port: entryPort } = splitHostPort(entry);
    if (entryHost === '') continue;
    if (net.isIP(entryHost)) {
      if (ip && sameIp(ip, entryHost) && (entryPort === '' || entryPort === port)) return true;
      continue;
    }
    let domain = entryHost.startsWith('*.') ? entryHost.slice(1) : entryHost;
    const matchHost = !domain.startsWith('.');
    if (matchHost) domain = `.${domain}`;
    if ((host.endsWith(domain) || (matchHost && host === domain.slice(1))) && (entryPort === '' || entryPort === port)) return true;
  }
  return false;
}

function splitHostPort(entry: string): { host: string; port: string } {
  const bracketed = /^\[([^\]]*)\]:(\d+)$/.exec(entry);
  if (bracketed) return { host: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  // More than one colon without brackets is a bare IPv6 address, not host:port.
  const parts = entry.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1] ?? '')) return { host: parts[0] ?? '', port: parts[1] ?? '' };
  return { host: entry.replace(/^\[|\]$/g, ''), port: '' };
}

function sameIp(a: string, b: string): boolean {
  const list = new net.BlockList();
  list.addAddress(b, net.isIPv6(b) ? 'ipv6' : 'ipv4');
  return list.check(a, net.isIPv6(a) ? 'ipv6' : 'ipv4');
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  if (!base || !net.isIP(base) || !Number.isInteger(prefix)) return false;
  const family = net.isIPv6(base) ? 'ipv6' : 'ipv4';
  if ((family === 'ipv6') !== net.isIPv6(ip)) return false;
  const list = new net.BlockList();
  try {
    list.addSubnet(base, prefix, family);
  } catch {
    return false;
  }
  return list.check(ip, family);
}
