import { Agent } from 'node:http'
import { instrumentAxios } from '@otel-http/axios'
import axios, { type AxiosInstance } from 'axios'
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
    'spans-off': send(instrumented(false)),
    'spans-on': send(instrumented(true)),
    auto: send(instance()),
  }
}
