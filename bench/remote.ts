/**
 * Starts bench/graph-host.ts (the sandbox behind the latency proxy, in its own process) and talks to it.
 * Span times are in the shared clock of `clock()` (epoch milliseconds, sub-millisecond), so a tool's own
 * timestamps compare with the proxy's.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RequestLogEntry, SandboxSummary } from '../src/sandbox';
import type { Span } from './proxy';

/** Milliseconds in a clock shared by every process of the machine (performance.now() is per process). */
export const clock = (): number => performance.timeOrigin + performance.now();

export interface RemoteGraph {
  /** The latency proxy's URL: what every tool talks to. */
  url: string;
  spans(): Promise<Span[]>;
  inFlight(): Promise<number>;
  /** Forgets the proxy's spans and the sandbox's request log. */
  clear(): Promise<void>;
  requests(): Promise<RequestLogEntry[]>;
  summary(): Promise<SandboxSummary>;
  /** Collects the Graph process's garbage (when the bench runs with --expose-gc), so no tool's run pays for another's. */
  gc(): Promise<void>;
  close(): Promise<void>;
}

export async function startRemoteGraph(o: { media: number; accounts: number; latencyMs: number }): Promise<RemoteGraph> {
  const child: ChildProcess = fork(join(__dirname, 'graph-host.js'), [String(o.media), String(o.accounts), String(o.latencyMs)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, (v: unknown) => void>();
  let next = 1;
  child.on('message', (m: { id: number; value: unknown }) => {
    waiting.get(m.id)?.(m.value);
    waiting.delete(m.id);
  });
  const ready = new Promise<{ url: string }>((resolve, reject) => {
    waiting.set(0, (v) => resolve(v as { url: string }));
    child.once('exit', (code) => reject(new Error(`bench/graph-host.js exited with ${String(code)}`)));
  });
  const ask = <T>(op: string): Promise<T> => new Promise((resolve) => {
    const id = next++;
    waiting.set(id, (v) => resolve(v as T));
    child.send({ id, op });
  });
  const { url } = await ready;
  return {
    url,
    spans: () => ask<Span[]>('spans'),
    inFlight: () => ask<number>('inFlight'),
    clear: () => ask<void>('clear'),
    requests: () => ask<RequestLogEntry[]>('requests'),
    summary: () => ask<SandboxSummary>('summary'),
    gc: () => ask<void>('gc'),
    close: async () => {
      await ask('close');
      await new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
    },
  };
}
