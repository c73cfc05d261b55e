/**
 * The bench's Graph (bench/remote.ts starts it): the sandbox and its latency proxy in a process of their own,
 * as Graph runs on Meta's servers and not on the measured tool's thread. In one process, the sandbox's work
 * (≈ 5 ms a query) and the proxy's clock shared the event loop with the tool being measured: a request made
 * while the tool joined rows was seen by the proxy only when the tool let the loop turn (8–14 ms later).
 * Talks to its parent over the IPC channel: one answer per message, matched by `id`.
 */
import { startSandbox } from '../src/sandbox';
import { startProxy } from './proxy';

interface Message { id: number; op: 'spans' | 'clear' | 'inFlight' | 'requests' | 'summary' | 'gc' | 'close' }

async function main() {
  const [media, accounts, latency] = process.argv.slice(2).map(Number);
  const sandbox = await startSandbox({ port: 0, accounts, media, latencyMs: 0 });
  const proxy = await startProxy(sandbox.url, latency!);
  const answer = (id: number, value: unknown) => process.send!({ id, value });
  process.on('message', (m: Message) => {
    void (async () => {
      switch (m.op) {
        // In the clock every process shares (remote.ts clock()), not this process's performance.now().
        case 'spans': return answer(m.id, proxy.spans().map((s) => ({ ...s, start: s.start + performance.timeOrigin, end: s.end + performance.timeOrigin })));
        case 'inFlight': return answer(m.id, proxy.inFlight());
        case 'clear': proxy.clear(); sandbox.clearRequests(); return answer(m.id, null);
        case 'requests': return answer(m.id, sandbox.requests());
        case 'summary': return answer(m.id, sandbox.summary());
        // Before each measured run: the garbage of the previous tool's run (861 requests for the peers without
        // field expansion) is collected now rather than during the next tool's run. Forked with the bench's
        // --expose-gc; without it, a no-op.
        case 'gc': (globalThis as { gc?: () => void }).gc?.(); return answer(m.id, null);
        case 'close':
          await proxy.close();
          await sandbox.close();
          answer(m.id, null);
          process.disconnect();
          return undefined;
      }
    })();
  });
  process.send!({ id: 0, value: { url: proxy.url, sandboxUrl: sandbox.url } });
}

void main();
