// Test hooks under /__sandbox (not Graph, never logged): the request log, the oracle summary, issuing
// tokens with chosen scopes/expiry, and fault injection.
import type { Tokens } from '../auth';
import type { World } from '../data/types';
import { summarize } from '../data/world';
import type { FaultSpec, Faults } from '../faults';
import type { RequestLog } from '../log';

export interface ControlDeps { world: World; tokens: Tokens; faults: Faults; log: RequestLog }

export interface ControlResult { status: number; body: unknown }

export function handleControl(deps: ControlDeps, method: string, path: string, body: unknown): ControlResult {
  const route = `${method} ${path.replace(/\/+$/, '')}`;
  switch (route) {
    case 'GET /__sandbox/requests': return { status: 200, body: deps.log.list() };
    case 'DELETE /__sandbox/requests': deps.log.clear(); return { status: 200, body: { success: true } };
    case 'GET /__sandbox/summary': return { status: 200, body: summarize(deps.world) };
    case 'POST /__sandbox/tokens': {
      const b = (body ?? {}) as { scopes?: unknown; expiresIn?: unknown };
      const scopes = Array.isArray(b.scopes) ? b.scopes.map(String) : [];
      const expiresIn = typeof b.expiresIn === 'number' ? b.expiresIn : 3600;
      const info = deps.tokens.issue(scopes, expiresIn, '1234567890123456', deps.world.me.id);
      return { status: 200, body: { access_token: info.token, expires_in: expiresIn, scopes: info.scopes } };
    }
    case 'POST /__sandbox/faults':
      try {
        deps.faults.add((body ?? {}) as FaultSpec);
        return { status: 200, body: { success: true } };
      } catch (e) {
        return { status: 400, body: { error: { message: String((e as Error).message) } } };
      }
    case 'DELETE /__sandbox/faults': deps.faults.clear(); return { status: 200, body: { success: true } };
    case 'POST /__sandbox/lifetimes': {
      // Short token lifetimes, to test renewal and expiry without waiting an hour.
      const b = (body ?? {}) as { short?: unknown; long?: unknown };
      if (typeof b.short === 'number' && b.short > 0) deps.tokens.lifetimes.short = b.short;
      if (typeof b.long === 'number' && b.long > 0) deps.tokens.lifetimes.long = b.long;
      return { status: 200, body: { ...deps.tokens.lifetimes } };
    }
    case 'POST /__sandbox/require-proof': {
      // The app setting "Require App Secret": calls without appsecret_proof are refused.
      const appId = String((body as { appId?: unknown } | undefined)?.appId ?? '');
      if (!appId) return { status: 400, body: { error: { message: 'appId is required' } } };
      deps.tokens.requireProof.add(appId);
      return { status: 200, body: { success: true } };
    }
    default: return { status: 404, body: { error: { message: `No sandbox control endpoint ${route}` } } };
  }
}
