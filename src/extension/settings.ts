/**
 * Connections from settings: `igsql.connections` holds names and non-secret CData properties; the built-in
 * "Sample account" comes first unless `igsql.sampleAccount.enabled` is false.
 */
import * as vscode from 'vscode';
import { isSecretProperty } from '../core/props';
import type { ConnectionConfig } from './types';

export const SAMPLE_NAME = 'Sample account';

/**
 * Secrets are refused in settings (they belong in SecretStorage): the core's secret properties, plus CData's
 * OAuthRefreshToken, which our core does not take but users may copy from a CData connection string.
 */
function isSecretSetting(name: string): boolean {
  return isSecretProperty(name) || name.toLowerCase() === 'oauthrefreshtoken';
}

/**
 * Settings renamed so the Settings editor reads well: VS Code derives a setting's title from its key (the last
 * segment is the label, the segments before it the category, minus the extension id's own prefix), so
 * `igsql.sampleLatencyMs` read "Igsql: Sample Latency Ms" and `igsql.sampleAccount.latency` reads
 * "Sample Account: Latency". The old keys stay declared (deprecated, so hidden unless set) and are still read.
 */
export const RENAMED_SETTINGS: Readonly<Record<string, string>> = {
  'sampleAccount.latency': 'sampleLatencyMs',
  'results.maxRows': 'maxResultRows',
};

/** Every key, new and old, under which `key` (without `igsql.`) may be set: for `affectsConfiguration`. */
export function settingKeys(key: string): string[] {
  const old = RENAMED_SETTINGS[key];
  return old ? [`igsql.${key}`, `igsql.${old}`] : [`igsql.${key}`];
}

/**
 * The value of a renamed setting: the new key where the user set it (at any level), else the old key where
 * they set that (a user who set the old one keeps the value), else the default.
 */
export function renamedSetting<T>(key: string, fallback: T): T {
  const cfg = vscode.workspace.getConfiguration('igsql');
  const isSet = (k: string) => {
    const i = cfg.inspect<T>(k);
    return i !== undefined && [i.globalValue, i.workspaceValue, i.workspaceFolderValue].some((v) => v !== undefined);
  };
  const old = RENAMED_SETTINGS[key];
  if (!isSet(key) && old !== undefined && isSet(old)) return cfg.get<T>(old, fallback);
  return cfg.get<T>(key, fallback);
}

interface RawConnection { name?: unknown; properties?: unknown; signIn?: unknown }

const TRANSPORT_IDS = ['uri', 'loopback', 'paste'] as const;

export class ConnectionSettings implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly subscription: vscode.Disposable;
  private warned = new Set<string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      // Not the whole `igsql.sampleAccount` section: a latency change restarts the sandbox only (lifecycle.ts).
      if (e.affectsConfiguration('igsql.connections') || e.affectsConfiguration('igsql.sampleAccount.enabled') || e.affectsConfiguration('http.proxy')) this.emitter.fire();
    });
  }

  configs(): ConnectionConfig[] {
    const cfg = vscode.workspace.getConfiguration('igsql');
    const out: ConnectionConfig[] = [];
    if (cfg.get<boolean>('sampleAccount.enabled', true)) out.push({ name: SAMPLE_NAME, properties: {}, sample: true });
    const seen = new Set(out.map((c) => c.name));
    for (const raw of cfg.get<RawConnection[]>('connections', [])) {
      if (typeof raw?.name !== 'string' || !raw.name.trim() || seen.has(raw.name)) continue;
      seen.add(raw.name);
      const transport = TRANSPORT_IDS.find((t) => t === raw.signIn);
      out.push({ name: raw.name, properties: this.publicProperties(raw.name, raw.properties), sample: false, ...(transport ? { transport } : {}) });
    }
    return out;
  }

  config(name: string): ConnectionConfig | undefined {
    return this.configs().find((c) => c.name === name);
  }

  /** VS Code's own proxy setting (`http.proxy`), used by connections that set no proxy of their own. */
  httpProxy(): string | undefined {
    return vscode.workspace.getConfiguration('http').get<string>('proxy') || undefined;
  }

  /** Adds a connection to the user settings (names and non-secret properties only). */
  async add(name: string, properties: Record<string, string>, signIn?: ConnectionConfig['transport']): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('igsql');
    const list = cfg.get<RawConnection[]>('connections', []).filter((c) => c?.name !== name);
    list.push({ name, properties, ...(signIn ? { signIn } : {}) });
    await cfg.update('connections', list, vscode.ConfigurationTarget.Global);
  }

  async remove(name: string): Promise<void> {
    const cfg = vscode.workspace.getConfiguration('igsql');
    const list = cfg.get<RawConnection[]>('connections', []).filter((c) => c?.name !== name);
    await cfg.update('connections', list, vscode.ConfigurationTarget.Global);
  }

  sampleLatencyMs(): number {
    const v = renamedSetting<number>('sampleAccount.latency', 0);
    return Number.isFinite(v) && v > 0 ? v : 0;
  }

  maxRows(): number {
    const v = renamedSetting<number>('results.maxRows', 10000);
    return Number.isFinite(v) && v > 0 ? Math.floor(v) : 10000;
  }

  private publicProperties(connection: string, raw: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (typeof raw !== 'object' || raw === null) return out;
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      if (isSecretSetting(k)) {
        // Never echo the value; say once where it belongs.
        if (!this.warned.has(connection + k)) {
          this.warned.add(connection + k);
          this.log.warn(`Connection "${connection}": property ${k} is a secret and is ignored in settings; use "Instagram SQL: Set Access Token…".`);
        }
        continue;
      }
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    }
    return out;
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
