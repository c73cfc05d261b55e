/**
 * The seams between the extension and the modules it loads lazily. The core and the sandbox are imported only
 * when first needed (first tree expansion or first query), never at activation: `loaders.ts` is the one file that
 * names them, everything else receives these functions.
 */
import type * as Core from '../core/index';
import type * as Sandbox from '../sandbox/index';

/** The core's public entry (src/core/index.ts). */
export type CoreModule = typeof Core;

export type StartSandboxFn = typeof Sandbox.startSandbox;
export type SandboxHandle = Sandbox.Sandbox;

export interface Loaders {
  core(): Promise<CoreModule>;
  startSandbox(): Promise<StartSandboxFn>;
}

/** A connection as the user configures it in settings (`igsql.connections`): never a secret in here. */
export interface ConnectionConfig {
  name: string;
  /** CData property names (DESIGN §4), non-secret ones only. */
  properties: Record<string, string>;
  /** The built-in "Sample account" that runs the sandbox in the extension host. */
  sample: boolean;
  /** How the sign-in's code comes back (auth/transports.ts): uri (default), loopback or paste. */
  transport?: 'uri' | 'loopback' | 'paste';
}

/** What a query runs on: a connection and, when known, the business account chosen in the tree. */
export interface Target {
  connection: string;
  accountId?: string;
  accountLabel?: string;
}
