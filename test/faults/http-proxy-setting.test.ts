/** VS Code's http.proxy setting becomes the connection's proxy properties (issue 12), checked by the core. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { proxyProps } from '../../src/extension/connections';
import { parseConnectionProps } from '../../src/core/props';

test('http.proxy → ProxyServer/ProxyPort/ProxyUser/ProxyPassword, socks5:// → FirewallType; the core accepts them', () => {
  const http = proxyProps({}, 'http://ann:p%40ss@proxy.corp:3128');
  assert.deepEqual(http, { ProxyServer: 'proxy.corp', ProxyPort: '3128', ProxyAuthScheme: 'BASIC', ProxyUser: 'ann', ProxyPassword: 'p@ss' });
  assert.equal(parseConnectionProps(http).ProxyServer, 'proxy.corp');
  const socks = proxyProps({}, 'socks5://bob:pw@10.0.0.7:1081');
  assert.deepEqual(socks, { FirewallType: 'SOCKS5', FirewallServer: '10.0.0.7', FirewallPort: '1081', FirewallUser: 'bob', FirewallPassword: 'pw' });
  assert.equal(parseConnectionProps(socks).FirewallType, 'SOCKS5');
  assert.deepEqual(proxyProps({}, 'http://proxy.corp'), { ProxyServer: 'proxy.corp', ProxyPort: '80', ProxyAuthScheme: 'NONE' });
});

test('a connection with its own proxy keeps it; no setting adds nothing; a bad setting is reported by the core', () => {
  assert.deepEqual(proxyProps({ ProxyServer: 'mine' }, 'http://other:1'), {});
  assert.deepEqual(proxyProps({ firewalltype: 'NONE' }, 'http://other:1'), {});
  assert.deepEqual(proxyProps({}, undefined), {});
  assert.throws(() => parseConnectionProps(proxyProps({}, 'not a url')), (e: { code?: string; details?: { property?: string } }) => e.code === 'INVALID_PROPERTY' && e.details?.property === 'ProxyServer');
});
