/**
 * The single place where log lines are written (DESIGN §4): every line goes through `redact`, so tokens,
 * secrets, codes and appsecret_proof never reach a log file, whatever the caller passed.
 */
import { appendFileSync } from 'node:fs';
import type { Logger, LogLevel } from './api';

const SECRET_PARAMS = /\b(access_token|client_secret|code|appsecret_proof|fb_exchange_token|input_token|refresh_token|password)=([^&\s"']+)/gi;
const SECRET_JSON = /"(access_token|client_secret|code|appsecret_proof|fb_exchange_token|input_token|refresh_token|OAuthAccessToken|OAuthClientSecret|ProxyPassword|FirewallPassword)"\s*:\s*"[^"]*"/gi;
const BEARER = /\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/=-]{8,}/g;
/** Secret-bearing names written as `Name = value` in SQL (EXEC arguments) or connection strings. */
const SECRET_ASSIGN = /(@?\b(?:OAuthAccessToken|OAuthClientSecret|Verifier|ProxyPassword|FirewallPassword)\s*=\s*)('(?:[^']|'')*'?|"[^"]*"?|[^\s;,&'"]+)/gi;

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(SECRET_PARAMS, '$1=***').replace(SECRET_JSON, '"$1":"***"').replace(BEARER, '$1 ***').replace(SECRET_ASSIGN, '$1***');
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

/** Wraps a sink so that every line is redacted and filtered by verbosity. */
export class RedactingLogger implements Logger {
  private readonly secrets: string[] = [];
  constructor(
    private readonly verbosity: number,
    private readonly sinks: ReadonlyArray<(line: string, level: LogLevel) => void>,
  ) {}

  /** Values that must never be printed even outside key=value form (the connection's token, secret…). */
  addSecret(value: string | undefined): void {
    if (value) this.secrets.push(value);
  }

  enabled(level: LogLevel): boolean {
    return level <= this.verbosity && this.sinks.length > 0;
  }

  log(level: LogLevel, message: string): void {
    if (!this.enabled(level)) return;
    const line = redact(message, this.secrets);
    for (const sink of this.sinks) sink(line, level);
  }
}

/** Appends `<ISO time> [level] line` to a file created with mode 0600. */
export function fileSink(path: string): (line: string, level: LogLevel) => void {
  return (line, level) => {
    try {
      appendFileSync(path, `${new Date().toISOString()} [${level}] ${line}\n`, { mode: 0o600 });
    } catch {
      // Logging must never break a query.
    }
  };
}
