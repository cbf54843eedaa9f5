/**
 * The proxy kubectl would use (shared/kube/proxy.ts): Go's http.ProxyFromEnvironment rules, case
 * by case, so a proxied cluster falls back to client-node with the right proxy and a direct one
 * stays on static credentials.
 */
import assert from 'node:assert/strict';
import { excludedByNoProxy, proxyForServer } from '../../../shared/kube/proxy.js';

describe('proxyForServer (Go http.ProxyFromEnvironment)', () => {
  const cases: Array<[string, string, string | undefined, Record<string, string>, string | undefined]> = [
    [
      "the kubeconfig's proxy-url wins over the environment",
      'https://api.example.test',
      'http://kubeconfig-proxy:1',
      { HTTPS_PROXY: 'http://env-proxy:2' },
      'http://kubeconfig-proxy:1',
    ],
    [
      'HTTPS_PROXY for an https:// server',
      'https://api.example.test',
      undefined,
      { HTTPS_PROXY: 'http://env-proxy:2' },
      'http://env-proxy:2',
    ],
    [
      'HTTPS_PROXY before https_proxy',
      'https://api.example.test',
      undefined,
      { HTTPS_PROXY: 'http://upper:2', https_proxy: 'http://lower:3' },
      'http://upper:2',
    ],
    [
      'https_proxy when HTTPS_PROXY is empty',
      'https://api.example.test',
      undefined,
      { HTTPS_PROXY: '', https_proxy: 'http://lower:3' },
      'http://lower:3',
    ],
    ['HTTP_PROXY only for http:// servers', 'https://api.example.test', undefined, { HTTP_PROXY: 'http://env-proxy:2' }, undefined],
    [
      'HTTP_PROXY for an http:// server',
      'http://api.example.test:8080',
      undefined,
      { HTTP_PROXY: 'http://env-proxy:2' },
      'http://env-proxy:2',
    ],
    ['never for localhost', 'https://localhost:6443', undefined, { HTTPS_PROXY: 'http://env-proxy:2' }, undefined],
    ['never for a loopback IPv4 address', 'https://127.0.0.1:6443', undefined, { HTTPS_PROXY: 'http://env-proxy:2' }, undefined],
    ['never for the IPv6 loopback', 'https://[::1]:6443', undefined, { HTTPS_PROXY: 'http://env-proxy:2' }, undefined],
    ['a scheme-less proxy is http://', 'https://api.example.test', undefined, { HTTPS_PROXY: 'env-proxy:2' }, 'http://env-proxy:2'],
    [
      'not when NO_PROXY excludes the server',
      'https://api.example.test',
      undefined,
      { HTTPS_PROXY: 'http://env-proxy:2', no_proxy: 'example.test' },
      undefined,
    ],
  ];
  for (const [name, server, proxyUrl, env, expected] of cases) {
    it(name, () => assert.equal(proxyForServer(server, proxyUrl, env), expected));
  }
});

describe('NO_PROXY matching (golang.org/x/net/http/httpproxy)', () => {
  const cases: Array<[string, string, string, string, boolean]> = [
    ['* excludes everything', 'api.example.test', '443', '*', true],
    ['a bare name matches itself', 'example.test', '443', 'example.test', true],
    ['a bare name matches its subdomains', 'api.example.test', '443', 'example.test', true],
    ['a bare name does not match a longer name', 'notexample.test', '443', 'example.test', false],
    ['a leading dot matches subdomains only', 'example.test', '443', '.example.test', false],
    ['a leading dot matches a subdomain', 'api.example.test', '443', '.example.test', true],
    ['*.name matches subdomains', 'api.example.test', '443', '*.example.test', true],
    ['a port limits the match', 'api.example.test', '6443', 'example.test:443', false],
    ['a matching port', 'api.example.test', '6443', 'example.test:6443', true],
    ['spaces and case are ignored', 'api.example.test', '443', ' other.test , EXAMPLE.TEST ', true],
    ['an IP', '10.0.0.5', '443', '10.0.0.5', true],
    ['another IP', '10.0.0.6', '443', '10.0.0.5', false],
    ['a CIDR', '10.1.2.3', '443', '10.0.0.0/8', true],
    ['a CIDR that does not contain the IP', '192.168.1.1', '443', '10.0.0.0/8', false],
    ['an IPv6 CIDR', 'fd00::1', '443', 'fd00::/8', true],
    ['an IP with a port', '10.0.0.5', '6443', '10.0.0.5:443', false],
    ['a name entry never matches an IP', '10.0.0.5', '443', 'example.test', false],
  ];
  for (const [name, host, port, noProxy, expected] of cases) {
    it(name, () => assert.equal(excludedByNoProxy(host, port, noProxy), expected));
  }
});
