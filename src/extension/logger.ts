/** The core's Logger on top of the extension's LogOutputChannel (the core redacts secrets before it logs). */
import type * as vscode from 'vscode';
import type { Logger, LogLevel } from '../core/api';

export class ChannelLogger implements Logger {
  constructor(private readonly channel: vscode.LogOutputChannel) {}

  log(level: LogLevel, message: string): void {
    if (level <= 2) this.channel.info(message);
    else if (level === 3) this.channel.debug(message);
    else this.channel.trace(message);
  }
}
