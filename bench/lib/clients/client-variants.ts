import type { ClientName, VariantFactory } from '../variants'

/**
 * The variants module of `client`, loaded on demand: after the auto-instrumentation is
 * registered, as its documentation requires.
 */
export async function clientVariants(client: ClientName): Promise<VariantFactory> {
  if (client === 'fetch') return (await import('./fetch')).fetchVariants
  if (client === 'undici') return (await import('./undici')).undiciVariants
  return (await import('./axios')).axiosVariants
}
