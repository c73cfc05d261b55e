/**
 * The CLI's token store (DESIGN §4): one JSON file at OAuthSettingsLocation, created with mode 0600 and kept
 * at 0600 on every write (a file a user loosened is tightened again). Written to a temporary file in the same
 * folder and renamed, so a crash never leaves half a file. Format (README "Token file"):
 *   { "version": 1, "tokens": { "<store key>": "<token record as JSON text>" } }
 */
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TokenStore } from '../api';
import { IgsqlError } from '../errors';

interface FileShape { version: 1; tokens: Record<string, string> }

/** Where the CLI keeps tokens when OAuthSettingsLocation is not set. */
export function defaultSettingsLocation(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'igsql', 'tokens.json');
}

export class FileTokenStore implements TokenStore {
  constructor(readonly path: string) {}

  private read(): FileShape {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, tokens: {} };
      throw new IgsqlError('INVALID_PROPERTY', `Cannot read the token file ${this.path} (${(e as NodeJS.ErrnoException).code}): check OAuthSettingsLocation.`, { property: 'OAuthSettingsLocation' });
    }
    try {
      const o = JSON.parse(text) as Partial<FileShape>;
      if (o && typeof o.tokens === 'object' && o.tokens) return { version: 1, tokens: { ...o.tokens } };
    } catch {
      // fall through
    }
    throw new IgsqlError('INVALID_PROPERTY', `The token file ${this.path} is not in the igsql format: delete it (igsql logout) and sign in again.`, { property: 'OAuthSettingsLocation' });
  }

  private write(shape: FileShape): void {
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(shape, null, 2) + '\n', { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch (e) {
      throw new IgsqlError('INVALID_PROPERTY', `Cannot write the token file ${this.path} (${(e as NodeJS.ErrnoException).code}): check OAuthSettingsLocation.`, { property: 'OAuthSettingsLocation' });
    }
  }

  async get(key: string): Promise<string | undefined> {
    return this.read().tokens[key];
  }

  async set(key: string, value: string): Promise<void> {
    const shape = this.read();
    shape.tokens[key] = value;
    this.write(shape);
  }

  async delete(key: string): Promise<void> {
    const shape = this.read();
    if (!(key in shape.tokens)) return;
    delete shape.tokens[key];
    this.write(shape);
  }

  async keys(): Promise<string[]> {
    return Object.keys(this.read().tokens);
  }
}
