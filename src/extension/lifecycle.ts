/**
 * Reactions to things that change while the extension runs (settings, secrets from another window), and the
 * activation-cost figures. Kept out of activate() so that it only constructs objects.
 */
import * as vscode from 'vscode';
import type { Connections } from './connections';
import type { ExplorerTree } from './explorerTree';
import type { SecretTokens } from './secrets';
import { SAMPLE_NAME, settingKeys, type ConnectionSettings } from './settings';
import type { Telemetry } from './telemetry';

export class ConfigurationReactions implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  /**
   * Each change takes effect at once: resetting the connections cancels the queries running on them (they end
   * as cancelled), and turning the Sample account off stops its sandbox (Connections.reset).
   */
  constructor(settings: ConnectionSettings, secrets: SecretTokens, connections: Connections, tree: ExplorerTree) {
    const noConnections = () => void vscode.commands.executeCommand('setContext', 'igsql.noConnections', settings.configs().length === 0);
    noConnections();
    this.subscriptions = [
      settings.onDidChange(async () => {
        await connections.reset();
        tree.refresh();
        noConnections();
      }),
      vscode.workspace.onDidChangeConfiguration(async (e) => {
        if (!settingKeys('sampleAccount.latency').some((k) => e.affectsConfiguration(k))) return;
        // The latency is read when the sandbox starts: restart it so the new value applies.
        await connections.restartSample();
        tree.refresh(SAMPLE_NAME);
      }),
      // Another window stored or removed a token.
      secrets.onDidChange(async () => {
        await connections.reset();
        tree.refresh();
      }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Measures activation → tree ready, split into our own work and the waits (sandbox, core, Graph). */
export class ActivationTimer implements vscode.Disposable {
  private wiringMs = 0;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly start: number,
    private readonly log: vscode.LogOutputChannel,
    private readonly telemetry: Telemetry,
    private readonly connections: Connections,
    private readonly tree: ExplorerTree,
  ) {
    this.subscription = tree.onFirstReady(() => this.treeReady());
  }

  activated(): void {
    this.wiringMs = performance.now() - this.start;
    this.log.info(`activation: activate() took ${this.wiringMs.toFixed(1)} ms`);
    this.telemetry.event('activation', {}, { activateMs: this.wiringMs });
  }

  private treeReady(): void {
    const total = performance.now() - this.start;
    const t = this.connections.timings;
    // VS Code asks for the rows some time after activate() returns (its own work: resolving the view).
    const hostMs = Math.max((this.tree.firstAskedAt ?? this.start) - this.start - this.wiringMs, 0);
    // Waiting for the sandbox to listen and for the Graph answer; module loading is ours (bundle code).
    const sandboxMs = t.sandboxMs;
    const graphMs = t.accountsMs;
    const figures = {
      treeReadyMs: total, activateMs: this.wiringMs, hostMs, sandboxStartMs: sandboxMs, coreLoadMs: t.loadMs,
      connectMs: t.connectMs, accountsMs: graphMs,
      ownMs: Math.max(total - hostMs - sandboxMs - graphMs, 0),
    };
    this.log.info(`activation: tree ready ${JSON.stringify(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, Math.round(v * 10) / 10])))}`);
    this.telemetry.event('activation/treeReady', {}, figures);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
