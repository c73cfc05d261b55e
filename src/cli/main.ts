/**
 * `igsql` (DESIGN §7): query | tables | columns | procedures | properties | sandbox.
 * Exit codes: 0 ok, 1 query or connection error (message on stderr, never a stack trace), 2 usage error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect, isIgsqlError, prepareEngine, PROPERTY_SPECS, toIgsqlError, type Connection, type SqlValue } from '../core';
import type { Sandbox } from '../sandbox';
import { num, PARAM_HELP, parseParams, UsageError } from './args';
import { FORMATS, writeRows, type Format } from './format';

// The sandbox and the sign-in are loaded by the commands that use them, not by every start (issue 11: a cold
// start within 2.5× `node -e 0`); esbuild keeps them in the bundle but runs their module code on first use.
const sandboxModule = () => import('../sandbox');
const loginModule = () => import('./login');

const USAGE = `Usage:
  igsql query "<SQL>" [--connection "<props>"] [--format table|json|ndjson|csv] [--param name[:type]=value]… [--stats]
  igsql tables [--connection "<props>"]
  igsql columns <table> [--connection "<props>"]
  igsql procedures [--connection "<props>"]
  igsql properties
  igsql login|logout|whoami [--connection "<props>"] [--no-browser]
  igsql sandbox [--port N] [--seed S] [--accounts A] [--media M] [--latency MS] [--fail-rate R] [--rate-limit CALLS_PER_MIN]

--connection may also come from IGSQL_CONNECTION, e.g. "OAuthAccessToken=…;BusinessAccountId=…".
login signs in with your Meta app (OAuthClientId, OAuthClientSecret; LoginFlavour=INSTAGRAM for Business Login
for Instagram) and keeps the token in OAuthSettingsLocation; later commands with the same --connection use it.
--sandbox runs the command against a built-in Graph API sandbox with sample data (no Facebook app needed).
${PARAM_HELP}
Exit codes: 0 ok, 1 query or connection error, 2 usage error.`;

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);

async function openConnection(values: { connection?: string; sandbox?: boolean }): Promise<{ conn: Connection; sandbox?: Sandbox }> {
  // SQLite's wasm compiles on another thread while the sandbox (or the sign-in) loads and starts on this one.
  prepareEngine();
  if (values.sandbox) {
    const sandbox = await (await sandboxModule()).startSandbox({ port: 0 });
    const extra = values.connection ? `;${values.connection}` : '';
    return { conn: await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}${extra}`), sandbox };
  }
  const cs = values.connection ?? process.env.IGSQL_CONNECTION;
  if (!cs) throw new UsageError('no connection: pass --connection "<props>", set IGSQL_CONNECTION, or use --sandbox for sample data');
  // The token file serves InitiateOAuth=GETANDREFRESH|REFRESH, and a browser sign-in when GETANDREFRESH needs one.
  // Warnings from the connector (e.g. SSLServerCert=* trusting any certificate) go to stderr; the rest to Logfile.
  const logger = { log: (_level: number, message: string) => { if (message.startsWith('warning: ')) err(`igsql: ${message}\n`); } };
  const { cliAuthorize, tokenStoreFor } = await loginModule();
  return { conn: await connect(cs, { logger, tokenStore: tokenStoreFor(cs), authorize: cliAuthorize({ noBrowser: false, err, stdin: process.stdin }) }) };
}

/** The sign-in relay page the package ships (media/oauth-relay.html), served by the sandbox to try the flow. */
function relayPage(): { relayPage?: string } {
  try {
    return { relayPage: readFileSync(join(__dirname, '..', 'media', 'oauth-relay.html'), 'utf8') };
  } catch {
    return {};
  }
}

async function runSandbox(values: Record<string, string | boolean | string[] | undefined>): Promise<void> {
  const s = values as Record<string, string | undefined>;
  const sandbox = await (await sandboxModule()).startSandbox({
    port: num('port', s.port) ?? 0,
    seed: num('seed', s.seed),
    accounts: num('accounts', s.accounts),
    media: num('media', s.media),
    latencyMs: num('latency', s.latency),
    failRate: num('fail-rate', s['fail-rate']),
    rateLimit: num('rate-limit', s['rate-limit']),
    ...relayPage(),
  });
  out(`${sandbox.url}\n`);
  err(`Graph API sandbox listening. Token: sandbox. Try:\n  igsql query "SELECT Username, FollowersCount FROM InstagramBusinessProfile" --connection "OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}"\nCtrl+C to stop.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => void sandbox.close().then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        connection: { type: 'string', short: 'c' },
        format: { type: 'string', short: 'f', default: 'table' },
        param: { type: 'string', short: 'p', multiple: true },
        stats: { type: 'boolean', default: false },
        sandbox: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
        'no-browser': { type: 'boolean', default: false },
        port: { type: 'string' }, seed: { type: 'string' }, accounts: { type: 'string' }, media: { type: 'string' },
        latency: { type: 'string' }, 'fail-rate': { type: 'string' }, 'rate-limit': { type: 'string' },
      },
    });
  } catch (e) {
    err(`igsql: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || !command) {
    (values.help ? out : err)(USAGE + '\n');
    return values.help ? 0 : 2;
  }
  let opened: { conn: Connection; sandbox?: Sandbox } | undefined;
  try {
    switch (command) {
      case 'sandbox':
        await runSandbox(values);
        return 0;
      case 'login':
      case 'logout':
      case 'whoami':
        return await (await loginModule()).runLogin(command, values.connection ?? process.env.IGSQL_CONNECTION, { noBrowser: !!values['no-browser'], format: String(values.format) }, out, err);
      case 'properties':
        for (const p of PROPERTY_SPECS) out(`${p.name.padEnd(22)} ${p.default !== undefined ? `[${p.default}] ` : ''}${p.description}\n`);
        return 0;
      case 'query': {
        const sql = rest.join(' ');
        if (!sql.trim()) throw new UsageError('query needs the SQL text: igsql query "SELECT …"');
        const format = values.format as Format;
        if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${format}')`);
        const params = parseParams(values.param);
        opened = await openConnection(values);
        const ac = new AbortController();
        const onSigint = () => ac.abort();
        process.once('SIGINT', onSigint);
        try {
          // A wait (a retry's backoff, Graph's usage near its limit) is said on stderr once, so a slow query explains itself.
          let said: string | undefined;
          const onProgress = (s: { waiting?: string }) => {
            if (s.waiting && s.waiting !== said) err(`igsql: ${s.waiting}\n`);
            said = s.waiting;
          };
          const result = await opened.conn.query(sql, params, { signal: ac.signal, onProgress });
          if (result.columns.length) await writeRows(format, result.columns, result.rows, out);
          else out(format === 'table' ? `${result.changes()} row(s) affected\n` : JSON.stringify({ changes: result.changes() }) + '\n');
          if (values.stats) err(JSON.stringify(result.stats) + '\n');
          else for (const n of result.stats.notes) err(`note: ${n}\n`);
        } finally {
          process.off('SIGINT', onSigint);
        }
        return 0;
      }
      case 'tables':
      case 'columns':
      case 'procedures': {
        opened = await openConnection(values);
        if (command === 'columns') {
          const name = rest[0];
          if (!name) throw new UsageError('columns needs a table name: igsql columns Media');
          const t = opened.conn.table(name);
          if (!t) {
            const r = await opened.conn.query(`SELECT * FROM "${name.replace(/"/g, '""')}" LIMIT 0`); // reports UNKNOWN_TABLE with suggestions
            for await (const _ of r.rows) void _;
            return 1;
          }
          const rows = t.columns.map((c) => [c.name, c.type, c.keyOps.join(' ') + (c.required ? ' (required)' : ''), c.description] as SqlValue[]);
          await writeRows(values.format as Format, ['Column', 'Type', 'Key', 'Description'].map((n) => ({ name: n, type: null })), toAsync(rows), out);
          return 0;
        }
        const list = command === 'tables'
          ? opened.conn.tables().map((t) => [t.name, t.kind, t.description] as SqlValue[])
          : opened.conn.procedures().map((p) => [p.name, p.description] as SqlValue[]);
        const cols = command === 'tables' ? ['Name', 'Kind', 'Description'] : ['Name', 'Description'];
        await writeRows(values.format as Format, cols.map((n) => ({ name: n, type: null })), toAsync(list), out);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      err(`igsql: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    const ie = isIgsqlError(e) ? e : toIgsqlError(e);
    err(`igsql: ${ie.code}: ${ie.message}\n`);
    return 1;
  } finally {
    await opened?.conn.close().catch(() => undefined);
    await opened?.sandbox?.close().catch(() => undefined);
  }
}

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/**
 * The process entry point: `bin/igsql` calls it (the package's `bin` is what users run, DESIGN §7), and so does
 * `node dist/cli.js`. Sets the exit code from `main` instead of exiting, so stdout is flushed first.
 */
export function run(argv: string[] = process.argv.slice(2)): Promise<number> {
  // `igsql query … | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  return main(argv).then((code) => (process.exitCode = code));
}

if (require.main === module) void run();
