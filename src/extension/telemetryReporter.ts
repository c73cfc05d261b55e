/**
 * Builds the Telemetry object: `@vscode/extension-telemetry`'s reporter when the package carries a telemetry
 * connection string (release builds fill `telemetryConnectionString` in package.json), else a reporter that
 * only writes the events to the log at trace level, so what would be sent can be inspected.
 * The SDK is ~40% of the bundle: it is imported only when a connection string is present, after activation.
 */
import * as vscode from 'vscode';
import { LogReporter, Telemetry, type TelemetryReporterLike } from './telemetry';

export function createTelemetry(packageJson: { telemetryConnectionString?: string }, log: vscode.LogOutputChannel): Telemetry {
  const connectionString = packageJson.telemetryConnectionString?.trim();
  const reporter: TelemetryReporterLike = connectionString
    ? new DeferredReporter(connectionString, log)
    : new LogReporter((line) => log.trace(line));
  return new Telemetry(reporter, () => vscode.env.isTelemetryEnabled);
}

/** Queues events until the SDK is loaded (the Telemetry wrapper has already applied the consent check). */
class DeferredReporter implements TelemetryReporterLike {
  private real: TelemetryReporterLike | undefined;
  private queue: Parameters<TelemetryReporterLike['sendTelemetryEvent']>[] = [];

  constructor(connectionString: string, log: vscode.LogOutputChannel) {
    import('@vscode/extension-telemetry').then(
      ({ TelemetryReporter }) => {
        this.real = new TelemetryReporter(connectionString);
        for (const args of this.queue) this.real.sendTelemetryEvent(...args);
        this.queue = [];
      },
      (e: unknown) => log.warn(`Telemetry is unavailable: ${(e as Error).message}`),
    );
  }

  sendTelemetryEvent(...args: Parameters<TelemetryReporterLike['sendTelemetryEvent']>): void {
    if (this.real) this.real.sendTelemetryEvent(...args);
    else if (this.queue.length < 100) this.queue.push(args);
  }

  dispose(): unknown {
    return this.real?.dispose();
  }
}
