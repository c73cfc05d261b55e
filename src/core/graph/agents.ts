/**
 * Proxy and TLS options from the connection properties, through well-kept agents: hpagent for HTTP(S)
 * proxies (ProxyServer, FirewallType=TUNNEL) and socks-proxy-agent for SOCKS4/5.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Agents } from 'got';
import type * as Hpagent from 'hpagent';
import type * as SocksAgent from 'socks-proxy-agent';
import type { ConnectionProps } from '../props';
import { IgsqlError } from '../errors';

function withAuth(scheme: string, host: string, port: string | undefined, user?: string, password?: string): string {
  const auth = user ? `${encodeURIComponent(user)}${password ? ':' + encodeURIComponent(password) : ''}@` : '';
  return `${scheme}://${auth}${host}${port ? ':' + port : ''}`;
}

/**
 * The agents for the connection's proxy settings. Values were validated by props.ts; what remains (an
 * environment variable read by ProxyAutoDetect, an agent refusing a combination) is an INVALID_PROPERTY too,
 * never a raw TypeError at connect.
 */
export function agentsFor(props: ConnectionProps, env: NodeJS.ProcessEnv = process.env): Agents | undefined {
  try {
    return buildAgents(props, env);
  } catch (e) {
    if (e instanceof IgsqlError) throw e;
    throw new IgsqlError('INVALID_PROPERTY', `The proxy settings cannot be used (${(e as Error).message}). Check ProxyServer, ProxyPort, FirewallServer and FirewallPort, or the HTTP(S)_PROXY environment variables with ProxyAutoDetect.`, { property: props.FirewallType && props.FirewallType !== 'NONE' ? 'FirewallServer' : 'ProxyServer' });
  }
}

/** Whether NO_PROXY (comma- or space-separated hosts, '.suffix', 'host:port' or '*') exempts `url`. */
export function noProxyFor(url: URL, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return noProxy.split(/[\s,]+/).filter(Boolean).some((raw) => {
    const entry = raw.toLowerCase();
    if (entry === '*') return true;
    const m = /^(.*?)(?::(\d+))?$/.exec(entry.replace(/^\[|\](?=:|$)/g, ''))!;
    const name = m[1]!.replace(/^\*?\./, '.');
    if (m[2] && m[2] !== port) return false;
    return name.startsWith('.') ? host.endsWith(name) || host === name.slice(1) : host === name || host.endsWith('.' + name);
  });
}

/** ProxyAutoDetect: the proxy the standard environment variables give for the API host, if any. */
function proxyFromEnv(props: ConnectionProps, env: NodeJS.ProcessEnv): string | undefined {
  const api = new URL(props.ApiBaseURL ?? 'https://graph.facebook.com');
  if (noProxyFor(api, env.NO_PROXY ?? env.no_proxy)) return undefined;
  const [name, value] = api.protocol === 'https:'
    ? (env.HTTPS_PROXY !== undefined ? ['HTTPS_PROXY', env.HTTPS_PROXY] : env.https_proxy !== undefined ? ['https_proxy', env.https_proxy] : ['HTTP_PROXY', env.HTTP_PROXY ?? env.http_proxy])
    : (env.HTTP_PROXY !== undefined ? ['HTTP_PROXY', env.HTTP_PROXY] : ['http_proxy', env.http_proxy]);
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`);
  } catch {
    throw new IgsqlError('INVALID_PROPERTY', `ProxyAutoDetect=true reads ${name}, which is not a proxy URL (got ${JSON.stringify(value)}). Fix the variable, or set ProxyServer and ProxyPort instead.`, { property: 'ProxyAutoDetect' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IgsqlError('INVALID_PROPERTY', `ProxyAutoDetect=true reads ${name}, whose scheme ${url.protocol} is not an HTTP proxy. For a SOCKS proxy set FirewallType=SOCKS5 with FirewallServer and FirewallPort.`, { property: 'ProxyAutoDetect' });
  }
  return url.href;
}

// The proxy agents are loaded when a connection uses a proxy: most do not, and every process paid ~10 ms to load them.
const hpagent = (): typeof Hpagent => require('hpagent');
const socksAgent = (): typeof SocksAgent => require('socks-proxy-agent');

function buildAgents(props: ConnectionProps, env: NodeJS.ProcessEnv): Agents | undefined {
  const fw = props.FirewallType ?? 'NONE';
  if (fw !== 'NONE') {
    if (!props.FirewallServer) throw new IgsqlError('INVALID_PROPERTY', `FirewallType=${fw} needs FirewallServer (and FirewallPort).`, { property: 'FirewallServer' });
    if (fw === 'TUNNEL') {
      const proxy = withAuth('http', props.FirewallServer, props.FirewallPort ?? '80', props.FirewallUser, props.FirewallPassword);
      const { HttpProxyAgent, HttpsProxyAgent } = hpagent();
      return { https: new HttpsProxyAgent({ proxy }), http: new HttpProxyAgent({ proxy }) };
    }
    const scheme = fw === 'SOCKS4' ? 'socks4' : 'socks5';
    const agent = new (socksAgent().SocksProxyAgent)(withAuth(scheme, props.FirewallServer, props.FirewallPort ?? '1080', props.FirewallUser, props.FirewallPassword));
    return { https: agent, http: agent };
  }
  let proxy: string | undefined;
  if (props.ProxyServer) {
    const basic = props.ProxyAuthScheme !== 'NONE';
    proxy = withAuth('http', props.ProxyServer, props.ProxyPort, basic ? props.ProxyUser : undefined, basic ? props.ProxyPassword : undefined);
  } else if (props.ProxyAutoDetect === 'true') {
    proxy = proxyFromEnv(props, env);
  }
  if (!proxy) return undefined;
  const { HttpProxyAgent, HttpsProxyAgent } = hpagent();
  return { https: new HttpsProxyAgent({ proxy }), http: new HttpProxyAgent({ proxy }) };
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
