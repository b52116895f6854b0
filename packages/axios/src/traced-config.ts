import type { OutboundHandle } from '@otel-http/core'
import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios'

/**
 * Key under which a request's call travels with it: axios copies configs and `fetchOptions`
 * (symbol keys included) on their way to the adapter and to `fetch`, and the copy is what
 * `response.config` and `error.config` hold. The one way from our interceptors to the transport.
 */
export const CALL = Symbol('@otel-http/axios call')

export type AxiosCall = OutboundHandle<AxiosResponse>
export type TracedConfig = InternalAxiosRequestConfig & { [CALL]?: AxiosCall }
