import { Agent } from 'node:http'
import type { Span } from '@opentelemetry/api'
import { instrumentAxios } from '@otel-http/axios'
import axios, { type AxiosInstance } from 'axios'
import { endClientSpan, injectedHeaders, startClientSpan } from '../by-hand'
import type { VariantFactory } from '../variants'

/** An axios instance per variant, on axios's http adapter with a keep-alive agent of its own. */
export const axiosVariants: VariantFactory = (url, constantHeaders) => {
  const instance = () => axios.create({ httpAgent: new Agent({ keepAlive: true }), responseType: 'text' })
  const send = (client: AxiosInstance, headers?: Record<string, string>) => () => client.get(url, { headers })
  const instrumented = (spans: boolean) => {
    const client = instance()
    instrumentAxios(client, { spans })
    return client
  }
  return {
    bare: send(instance()),
    headers: send(instance(), constantHeaders),
    'hand-inject': send(byHand(instance(), false)),
    'spans-off': send(instrumented(false)),
    'hand-span': send(byHand(instance(), true)),
    'spans-on': send(instrumented(true)),
    auto: send(instance()),
  }
}

/** Interceptors written by hand: inject only, or a CLIENT span + inject ended on the response. */
export function byHand(instance: AxiosInstance, spans: boolean): AxiosInstance {
  if (!spans) {
    instance.interceptors.request.use(
      (config) => config.headers.set(injectedHeaders()) && config,
      undefined,
      {
        synchronous: true,
      },
    )
    return instance
  }
  const spanOf = new WeakMap<object, Span>()
  instance.interceptors.request.use(
    (config) => {
      const client = startClientSpan(config.method?.toUpperCase() ?? 'GET', config.url ?? '')
      spanOf.set(config, client.span)
      config.headers.set(injectedHeaders(client.context))
      return config
    },
    undefined,
    { synchronous: true },
  )
  instance.interceptors.response.use(
    (response) => {
      const span = spanOf.get(response.config)
      if (span) endClientSpan(span, response.status)
      return response
    },
    (error) => {
      spanOf.get(error?.config)?.end()
      throw error
    },
  )
  return instance
}
