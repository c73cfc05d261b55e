/**
 * Builds the Telemetry object: `@vscode/extension-telemetry`'s reporter when the package carries a telemetry
 * connection string (release builds fill `telemetryConnectionString` in package.json), else a reporter that
 * only writes the events to the log at trace level, so what would be sent can be inspected.
 */
import * as vscode from 'vscode';
import { TelemetryReporter } from '@vscode/extension-telemetry';
import { LogReporter, Telemetry, type TelemetryReporterLike } from './telemetry';

export function createTelemetry(packageJson: { telemetryConnectionString?: string }, log: vscode.LogOutputChannel): Telemetry {
  const connectionString = packageJson.telemetryConnectionString?.trim();
  const reporter: TelemetryReporterLike = connectionString
    ? new TelemetryReporter(connectionString)
    : new LogReporter((line) => log.trace(line));
  return new Telemetry(reporter, () => vscode.env.isTelemetryEnabled);
}
