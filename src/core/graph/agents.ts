/**
 * Proxy and TLS options from the connection properties, through well-kept agents: hpagent for HTTP(S)
 * proxies (ProxyServer, FirewallType=TUNNEL) and socks-proxy-agent for SOCKS4/5.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Agents } from 'got';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { SocksProxyAgent } from 'socks-proxy-agent';
import type { ConnectionProps } from '../props';
import { IgsqlError } from '../errors';

function withAuth(scheme: string, host: string, port: string | undefined, user?: string, password?: string): string {
  const auth = user ? `${encodeURIComponent(user)}${password ? ':' + encodeURIComponent(password) : ''}@` : '';
  return `${scheme}://${auth}${host}${port ? ':' + port : ''}`;
}

export function agentsFor(props: ConnectionProps, env: NodeJS.ProcessEnv = process.env): Agents | undefined {
  const fw = props.FirewallType ?? 'NONE';
  if (fw !== 'NONE') {
    if (!props.FirewallServer) throw new IgsqlError('INVALID_PROPERTY', `FirewallType=${fw} needs FirewallServer (and FirewallPort).`, { property: 'FirewallServer' });
    if (fw === 'TUNNEL') {
      const proxy = withAuth('http', props.FirewallServer, props.FirewallPort ?? '80', props.FirewallUser, props.FirewallPassword);
      return { https: new HttpsProxyAgent({ proxy }), http: new HttpProxyAgent({ proxy }) };
    }
    const scheme = fw === 'SOCKS4' ? 'socks4' : 'socks5';
    const agent = new SocksProxyAgent(withAuth(scheme, props.FirewallServer, props.FirewallPort ?? '1080', props.FirewallUser, props.FirewallPassword));
    return { https: agent, http: agent };
  }
  let proxy: string | undefined;
  if (props.ProxyServer) {
    const basic = props.ProxyAuthScheme !== 'NONE';
    proxy = withAuth('http', props.ProxyServer, props.ProxyPort, basic ? props.ProxyUser : undefined, basic ? props.ProxyPassword : undefined);
  } else if (props.ProxyAutoDetect === 'true') {
    proxy = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  }
  return proxy ? { https: new HttpsProxyAgent({ proxy }), http: new HttpProxyAgent({ proxy }) } : undefined;
}

/** SSLServerCert: PEM text, a path to a PEM file, or '*' to accept any certificate (testing only). */
export function tlsFor(props: ConnectionProps): { certificateAuthority?: string; rejectUnauthorized?: boolean } | undefined {
  const cert = props.SSLServerCert;
  if (!cert) return undefined;
  if (cert === '*') return { rejectUnauthorized: false };
  if (cert.includes('-----BEGIN')) return { certificateAuthority: cert };
  if (existsSync(cert)) return { certificateAuthority: readFileSync(cert, 'utf8') };
  throw new IgsqlError('INVALID_PROPERTY', `SSLServerCert is neither PEM text, an existing file, nor '*' (got '${cert}').`, { property: 'SSLServerCert' });
}
