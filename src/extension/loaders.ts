/**
 * The one place that names the core and the sandbox. Both are imported on first use (first tree expansion or
 * first query), not at activation; esbuild keeps them in the same bundle but defers their module code.
 */
import type { Loaders } from './types';

export const loaders: Loaders = {
  core: () => import('../core/index'),
  startSandbox: async () => (await import('../sandbox/index')).startSandbox,
};
