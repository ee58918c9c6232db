import type { Plug } from '../plug';
import { registerOperations } from '../http/openapi';
import { perspectiveOperations } from './openapi';
import { perspectiveRoutes } from './routes';

// Registered once, when the module loads: a process may compose several apps (the tests do).
registerOperations(perspectiveOperations);

/** Plugs the Perspective-compatible API (/v1alpha1) into the app. */
export const perspectivePlug: Plug = async ({ ctx, extras }) => {
  extras.bodyRouters.push({ path: '/v1alpha1', router: perspectiveRoutes(ctx) });
};
