/**
 * The built-in "Sample account": the Graph API simulator (src/sandbox) started inside the extension host on a
 * free loopback port the first time the Sample account is used. It accepts the token `sandbox`, so the user
 * needs nothing to try the extension. `igsql.sampleAccount.latency` is read when it starts (it makes slow queries
 * reproducible, e.g. to try cancelling); changing it restarts the sandbox (Connections.restartSample).
 */
import type { Loaders, SandboxHandle } from './types';

export const SAMPLE_TOKEN = 'sandbox';

export class SampleSandbox {
  private running: Promise<SandboxHandle> | undefined;
  /** Milliseconds the last start took (activation-cost figures). */
  lastStartMs = 0;

  constructor(
    private readonly loaders: Loaders,
    private readonly latencyMs: () => number,
    private readonly info: (line: string) => void,
  ) {}

  /** The sandbox's base URL, starting it on first use. */
  async url(): Promise<string> {
    this.running ??= this.start();
    try {
      return (await this.running).url;
    } catch (e) {
      this.running = undefined; // let Retry start it again
      throw e;
    }
  }

  /**
   * Forgets the running sandbox without stopping it: from now on `url()` starts a new one. The caller closes the
   * returned handle once the connections to it are closed, so no query is left talking to a stopped server.
   */
  detach(): Promise<SandboxHandle> | undefined {
    const running = this.running;
    this.running = undefined;
    return running;
  }

  async stop(): Promise<void> {
    await closeSandbox(this.detach());
  }

  private async start(): Promise<SandboxHandle> {
    const t0 = performance.now();
    const startSandbox = await this.loaders.startSandbox();
    const latencyMs = this.latencyMs();
    const handle = await startSandbox({ port: 0, ...(latencyMs > 0 ? { latencyMs } : {}) });
    this.lastStartMs = performance.now() - t0;
    this.info(`Sample account: sandbox listening at ${handle.url} (latency ${latencyMs} ms, started in ${this.lastStartMs.toFixed(0)} ms)`);
    return handle;
  }
}

export async function closeSandbox(running: Promise<SandboxHandle> | undefined): Promise<void> {
  if (!running) return;
  try { await (await running).close(); } catch { /* never started, or already stopped */ }
}
