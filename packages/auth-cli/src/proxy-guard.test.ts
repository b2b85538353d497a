import { describe, expect, it } from 'vitest';
import { createHostCheck, isCrossSite, isLoopbackName } from './proxy-guard.js';

describe('createHostCheck', () => {
  it('bound to 127.0.0.1: loopback names with the port only', () => {
    const ok = createHostCheck({ address: '127.0.0.1', port: 8080 }, []);
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080'])
      expect(ok(host), host).toBe(true);
    for (const host of [
      undefined,
      '',
      '127.0.0.1',
      '127.0.0.1:8081',
      'evil.example:8080',
      'localhost.evil.example:8080',
      '10.0.0.1:8080',
      '127.0.0.1:8080@evil',
      ' x:8080',
    ])
      expect(ok(host), String(host)).toBe(false);
  });

  it('bound to every interface: any IP literal, and the names listed with --allow-host', () => {
    const ok = createHostCheck({ address: '0.0.0.0', port: 9000 }, ['devbox.corp']);
    for (const host of ['10.1.2.3:9000', '[fe80::1]:9000', 'devbox.corp:9000', 'localhost:9000'])
      expect(ok(host), host).toBe(true);
    for (const host of ['rebind.evil.example:9000', 'devbox.corp:9001'])
      expect(ok(host), host).toBe(false);
  });

  it('bound to an IPv6 loopback', () => {
    const ok = createHostCheck({ address: '::1', port: 1 }, []);
    expect(ok('[::1]:1')).toBe(true);
    expect(ok('evil:1')).toBe(false);
  });
});

describe('isCrossSite', () => {
  it('refuses other sites, accepts same-origin and non-browser requests', () => {
    expect(isCrossSite({}, '127.0.0.1:1')).toBe(false);
    expect(isCrossSite({ origin: 'http://127.0.0.1:1' }, '127.0.0.1:1')).toBe(false);
    expect(isCrossSite({ 'sec-fetch-site': 'same-origin' }, '127.0.0.1:1')).toBe(false);
    expect(isCrossSite({ 'sec-fetch-site': 'none' }, '127.0.0.1:1')).toBe(false);
    expect(isCrossSite({ origin: 'https://evil.example' }, '127.0.0.1:1')).toBe(true);
    expect(isCrossSite({ origin: 'null' }, '127.0.0.1:1')).toBe(true);
    expect(isCrossSite({ 'sec-fetch-site': 'cross-site' }, '127.0.0.1:1')).toBe(true);
    expect(isCrossSite({ 'sec-fetch-site': 'same-site' }, '127.0.0.1:1')).toBe(true);
  });
});

it('isLoopbackName', () => {
  for (const name of ['localhost', '127.0.0.1', '127.9.9.9', '::1', '[::1]', '::ffff:127.0.0.1'])
    expect(isLoopbackName(name), name).toBe(true);
  for (const name of ['0.0.0.0', '10.0.0.1', 'localhost.evil', '::'])
    expect(isLoopbackName(name), name).toBe(false);
});
