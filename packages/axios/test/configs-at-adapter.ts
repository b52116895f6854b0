import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios'

/**
 * Records, per request, the config `api`'s adapter gets: call it before `instrumentAxios`, so
 * axios runs this interceptor after ours (request interceptors run last-registered first).
 */
export function configsAtAdapter(api: AxiosInstance): InternalAxiosRequestConfig[] {
  const configs: InternalAxiosRequestConfig[] = []
  api.interceptors.request.use(
    (config) => {
      configs.push({ ...config })
      return config
    },
    undefined,
    { synchronous: true },
  )
  return configs
}
