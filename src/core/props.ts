/**
 * Connection properties with CData's names (DESIGN §4, contract): parsing of `Name=Value;Name2="a; b"` strings,
 * case-insensitive names, validation with errors that name the property and the allowed values.
 */
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FLAVOURS } from './auth/flavours';
import { IgsqlError } from './errors';
import { didYouMean, nearest } from './suggest';

type Kind =
  | { type: 'string' }
  | { type: 'secret' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'int'; min: number; max: number }
  | { type: 'bool' }
  | { type: 'url' }
  /** A host name or IP address, without scheme or port (ProxyServer, FirewallServer). */
  | { type: 'host' }
  /** A file to write: its folder must exist (Logfile, OAuthSettingsLocation). */
  | { type: 'file' }
  /** SSLServerCert: PEM text, an existing file, or '*'. */
  | { type: 'cert' };

export interface PropertySpec {
  name: string;
  kind: Kind;
  default?: string;
  description: string;
}

const str: Kind = { type: 'string' };
const secret: Kind = { type: 'secret' };
const bool: Kind = { type: 'bool' };
const port: Kind = { type: 'int', min: 1, max: 65535 };
const host: Kind = { type: 'host' };
const file: Kind = { type: 'file' };

export const DEFAULT_API_BASE_URL = 'https://graph.facebook.com';
export const DEFAULT_API_VERSION = 'v24.0';

export const PROPERTY_SPECS: readonly PropertySpec[] = [
  { name: 'OAuthClientId', kind: str, description: 'App ID of your Facebook app (custom OAuth app).' },
  { name: 'OAuthClientSecret', kind: secret, description: 'App secret of your Facebook app.' },
  { name: 'OAuthAccessToken', kind: secret, description: 'A user access token; skips the sign-in flow.' },
  { name: 'InitiateOAuth', kind: { type: 'enum', values: ['OFF', 'GETANDREFRESH', 'REFRESH'] }, default: 'OFF', description: 'How tokens are obtained: OFF (use OAuthAccessToken), GETANDREFRESH (sign in when needed, refresh), REFRESH (refresh a stored token).' },
  { name: 'OAuthSettingsLocation', kind: str, description: 'File where the CLI stores tokens (mode 0600; default ~/.config/igsql/tokens.json). The extension uses SecretStorage instead.' },
  { name: 'LoginFlavour', kind: { type: 'enum', values: ['FACEBOOK', 'INSTAGRAM'] }, default: 'FACEBOOK', description: 'How users sign in: FACEBOOK (Facebook Login for Business, accounts through Facebook Pages, graph.facebook.com) or INSTAGRAM (Business Login for Instagram, no Facebook Page needed, graph.instagram.com).' },
  { name: 'OAuthConfigId', kind: str, description: 'Facebook Login for Business configuration id (config_id); replaces Scope in the sign-in dialog.' },
  { name: 'CallbackURL', kind: { type: 'url' }, description: "Redirect URI registered for your app; 'igsql login' listens on it when it is a localhost address (default https://localhost:33333/)." },
  { name: 'BusinessAccountId', kind: str, description: 'Instagram business account to query; default: every account the token can see.' },
  { name: 'Scope', kind: str, default: 'instagram_basic,instagram_manage_comments,instagram_manage_insights,instagram_content_publish,pages_show_list,pages_read_engagement,business_management', description: 'Permissions requested when signing in (comma-separated).' },
  { name: 'SSLServerCert', kind: { type: 'cert' }, description: "Certificate (PEM text or file path) to trust for TLS, or '*' to accept any (testing only)." },
  { name: 'ProxyAutoDetect', kind: bool, default: 'false', description: 'Use the proxy from HTTPS_PROXY/HTTP_PROXY.' },
  { name: 'ProxyServer', kind: host, description: 'HTTP proxy host name or IP address (the port goes in ProxyPort).' },
  { name: 'ProxyPort', kind: port, default: '80', description: 'HTTP proxy port.' },
  { name: 'ProxyAuthScheme', kind: { type: 'enum', values: ['BASIC', 'NONE'] }, default: 'BASIC', description: 'Proxy authentication scheme.' },
  { name: 'ProxyUser', kind: str, description: 'Proxy user name.' },
  { name: 'ProxyPassword', kind: secret, description: 'Proxy password.' },
  { name: 'FirewallType', kind: { type: 'enum', values: ['NONE', 'TUNNEL', 'SOCKS4', 'SOCKS5'] }, default: 'NONE', description: 'Firewall/proxy protocol for the connection.' },
  { name: 'FirewallServer', kind: host, description: 'Firewall (TUNNEL or SOCKS proxy) host name or IP address (the port goes in FirewallPort).' },
  { name: 'FirewallPort', kind: port, description: 'Firewall port.' },
  { name: 'FirewallUser', kind: str, description: 'Firewall user name.' },
  { name: 'FirewallPassword', kind: secret, description: 'Firewall password.' },
  { name: 'Logfile', kind: file, description: 'File to write the connector log to.' },
  { name: 'Verbosity', kind: { type: 'int', min: 1, max: 5 }, default: '1', description: '1 = queries and errors … 5 = wire bodies (secrets are always redacted).' },
  { name: 'Timeout', kind: { type: 'int', min: 0, max: 86400 }, default: '60', description: 'Seconds before a Graph request times out; 0 = no timeout.' },
  { name: 'MaxRows', kind: { type: 'int', min: -1, max: Number.MAX_SAFE_INTEGER }, default: '-1', description: 'Maximum rows a query returns; -1 = no limit.' },
  { name: 'Pagesize', kind: { type: 'int', min: 1, max: 100 }, default: '100', description: 'Rows requested per Graph page (the API caps some edges lower, e.g. comments at 50).' },
  { name: 'ApiBaseURL', kind: { type: 'url' }, default: DEFAULT_API_BASE_URL, description: 'Graph API host; point it at the sandbox for tests.' },
  { name: 'ApiVersion', kind: str, default: DEFAULT_API_VERSION, description: 'Graph API version, e.g. v24.0.' },
];

const BY_LOWER = new Map(PROPERTY_SPECS.map((s) => [s.name.toLowerCase(), s]));

/** Parsed, validated properties keyed by canonical name; defaults filled in. */
export type ConnectionProps = Readonly<Record<string, string>>;

export function isSecretProperty(name: string): boolean {
  return BY_LOWER.get(name.toLowerCase())?.kind.type === 'secret';
}

/** Splits `A=1;B="x; y";C='z'` into pairs. Quotes may be doubled inside to escape them. */
export function splitConnectionString(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === ';' || /\s/.test(text[i]!))) i++;
    if (i >= n) break;
    const eq = text.indexOf('=', i);
    if (eq < 0) {
      throw new IgsqlError('INVALID_PROPERTY', `Connection string: '${text.slice(i).split(';')[0]!.trim()}' has no '='. Write properties as Name=Value; separated by semicolons.`);
    }
    const name = text.slice(i, eq).trim();
    i = eq + 1;
    while (i < n && text[i] === ' ') i++;
    let value = '';
    const q = text[i];
    if (q === '"' || q === "'") {
      i++;
      for (;;) {
        if (i >= n) throw new IgsqlError('INVALID_PROPERTY', `Connection string: the value of ${name} has no closing ${q}.`, { property: name });
        if (text[i] === q) {
          if (text[i + 1] === q) { value += q; i += 2; continue; }
          i++;
          break;
        }
        value += text[i++];
      }
      while (i < n && text[i] !== ';') {
        if (!/\s/.test(text[i]!)) throw new IgsqlError('INVALID_PROPERTY', `Connection string: unexpected text after the quoted value of ${name}.`, { property: name });
        i++;
      }
    } else {
      const end = text.indexOf(';', i);
      value = (end < 0 ? text.slice(i) : text.slice(i, end)).trim();
      i = end < 0 ? n : end;
    }
    pairs.push([name, value]);
  }
  return pairs;
}

/** C0 controls other than tab/newline, DEL, and lone UTF-16 surrogates: no property can carry them to a header, a URL or a file name intact. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const HOST_NAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/;

function validate(spec: PropertySpec, raw: string): string {
  const k = spec.kind;
  const secretValue = k.type === 'secret';
  const shown = (v: string) => (secretValue ? '…' : JSON.stringify(v.length > 80 ? v.slice(0, 80) + '…' : v));
  const bad = (allowed: string) =>
    new IgsqlError('INVALID_PROPERTY', `Connection property ${spec.name} has an invalid value: allowed ${allowed}.`, { property: spec.name });
  const multiline = k.type === 'cert';
  if (UNSAFE.test(raw) || (!multiline && /[\t\n]/.test(raw))) {
    throw bad(`is text without control characters or broken Unicode (got ${shown(raw.replace(/[\u0000-\u001f\u007f]/g, '?'))})`);
  }
  switch (k.type) {
    case 'enum': {
      const v = raw.toUpperCase();
      if (!k.values.includes(v)) throw bad(`values are ${k.values.join(', ')} (got '${raw}')`);
      return v;
    }
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw bad(`is a whole number from ${k.min} to ${k.max} (got '${raw}')`);
      const v = Number(raw);
      if (v < k.min || v > k.max) throw bad(`is a whole number from ${k.min} to ${k.max} (got ${v})`);
      return String(v);
    }
    case 'bool': {
      const v = raw.toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(v)) throw bad(`values are true or false (got '${raw}')`);
      return String(v === 'true' || v === '1' || v === 'yes');
    }
    case 'url': {
      try {
        const u = new URL(raw);
        if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      } catch {
        throw bad(`is an http(s) URL (got '${spec.kind.type === 'url' && isSecretProperty(spec.name) ? '…' : raw}')`);
      }
      // A redirect URI must match the registered one exactly (trailing slash included): only hosts are trimmed.
      return spec.name === 'CallbackURL' ? raw : raw.replace(/\/+$/, '');
    }
    case 'host': {
      const v = raw.trim();
      const ipv6 = /^\[?[0-9A-Fa-f:.]+\]?$/.test(v) && v.includes(':');
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) throw bad(`is a host name or IP address without a scheme, e.g. proxy.example.com; put the port in ${spec.name.replace('Server', 'Port')} (got ${shown(v)})`);
      if (!ipv6 && !HOST_NAME.test(v)) throw bad(`is a host name or IP address, e.g. proxy.example.com or 10.0.0.1, without a port (put it in ${spec.name.replace('Server', 'Port')}) (got ${shown(v)})`);
      return ipv6 && !v.startsWith('[') ? `[${v}]` : v;
    }
    case 'file': {
      const dir = dirname(resolve(raw));
      let isDir = false;
      try { isDir = statSync(dir).isDirectory(); } catch { isDir = false; }
      if (!isDir) throw bad(`is a file path whose folder exists (the folder ${JSON.stringify(dir)} does not)`);
      return raw;
    }
    case 'cert': {
      if (raw === '*' || raw.includes('-----BEGIN')) return raw;
      let isFile = false;
      try { isFile = statSync(raw).isFile(); } catch { isFile = false; }
      if (!isFile) throw bad(`is PEM text (-----BEGIN CERTIFICATE-----…), the path of an existing PEM file, or '*' to accept any certificate (got ${shown(raw)})`);
      return raw;
    }
    default:
      return raw;
  }
}

/** Parses a connection string or a name→value record into validated properties with defaults. */
export function parseConnectionProps(input: string | Readonly<Record<string, string | number | boolean | undefined>>): ConnectionProps {
  const pairs: Array<[string, string]> =
    typeof input === 'string'
      ? splitConnectionString(input)
      : Object.entries(input).filter((e): e is [string, string | number | boolean] => e[1] !== undefined).map(([k, v]) => [k, String(v)]);
  const out: Record<string, string> = {};
  for (const s of PROPERTY_SPECS) if (s.default !== undefined) out[s.name] = s.default;
  for (const [name, value] of pairs) {
    const spec = BY_LOWER.get(name.toLowerCase());
    if (!spec) {
      const sugg = nearest(name, PROPERTY_SPECS.map((s) => s.name));
      throw new IgsqlError('INVALID_PROPERTY', `Unknown connection property '${name}'.${didYouMean(sugg)} Run 'igsql properties' or query sys_connection_props for the list.`, { property: name, suggestions: sugg });
    }
    if (value === '') continue;
    out[spec.name] = validate(spec, value);
  }
  // Business Login for Instagram has its own host and scope names (GRAPH-2026 §Login flavours).
  if (out.LoginFlavour === 'INSTAGRAM') {
    const given = new Set(pairs.filter(([, v]) => v !== '').map(([k]) => k.toLowerCase()));
    if (!given.has('apibaseurl')) out.ApiBaseURL = FLAVOURS.INSTAGRAM.graphHost;
    if (!given.has('scope')) out.Scope = FLAVOURS.INSTAGRAM.defaultScopes.join(',');
  }
  if (!/^v\d+\.\d+$/.test(out.ApiVersion!)) {
    throw new IgsqlError('INVALID_PROPERTY', `Connection property ApiVersion has an invalid value: allowed is a Graph version like ${DEFAULT_API_VERSION} (got '${out.ApiVersion}').`, { property: 'ApiVersion' });
  }
  return Object.freeze(out);
}

/** Properties with secrets masked, for logs and display. */
export function redactProps(props: ConnectionProps): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) out[k] = isSecretProperty(k) ? '***' : v;
  return out;
}
