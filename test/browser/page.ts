// The page under test, bundled by esbuild from the built packages: the OpenTelemetry web SDK
// (WebTracerProvider, ZoneContextManager, in-memory exporter), tracedFetch, and an axios
// instance on its XHR adapter. The test calls `window.otelHttpScenario` through Playwright.
import { context, DiagLogLevel, diag, propagation, trace } from '@opentelemetry/api'
import { ZoneContextManager } from '@opentelemetry/context-zone'
import { InMemorySpanExporter, SimpleSpanProcessor, WebTracerProvider } from '@opentelemetry/sdk-trace-web'
import { instrumentAxios } from '@otel-http/axios'
import { tracedFetch } from '@otel-http/fetch'
import axios from 'axios'
import type { Outcome, ScenarioResult, ScenarioSpan } from './scenario'

const exporter = new InMemorySpanExporter()
const provider = new WebTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
provider.register({ contextManager: new ZoneContextManager() })

const warnings: string[] = []
const ignore = () => {}
diag.setLogger(
  {
    error: (m) => warnings.push(m),
    warn: (m) => warnings.push(m),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  },
  DiagLogLevel.WARN,
)

async function outcomeOf(request: () => Promise<{ status: number }>): Promise<Outcome> {
  try {
    return { ok: true, status: (await request()).status }
  } catch (error) {
    const { name, message, code } = error as { name?: string; message?: string; code?: string }
    return { ok: false, error: code ?? `${name}: ${message}` }
  }
}

/**
 * Requests each URL with tracedFetch and with the traced axios instance, inside an active `page`
 * span carrying baggage `user_id=alice`; `traced: false` makes the same calls without otel-http.
 */
async function scenario(
  urls: { fetch: string[]; axios: string[] },
  options: { propagateTo?: string[]; traced?: boolean },
): Promise<ScenarioResult> {
  exporter.reset()
  warnings.length = 0
  const traced = options.traced !== false
  const fetchFn = traced ? tracedFetch(undefined, { propagateTo: options.propagateTo }) : fetch
  const api = axios.create({ adapter: 'xhr' })
  if (traced) instrumentAxios(api, { propagateTo: options.propagateTo })

  const withBaggage = propagation.setBaggage(
    context.active(),
    propagation.createBaggage({ user_id: { value: 'alice' } }),
  )
  const outcomes: Record<string, Outcome> = {}
  const pageSpanId = await context.with(withBaggage, () =>
    trace.getTracer('page').startActiveSpan('page', async (span) => {
      // Awaited one after another: each request runs in the context restored after the last
      // await, which is what ZoneContextManager has to get right.
      for (const url of urls.fetch) outcomes[`fetch ${url}`] = await outcomeOf(() => fetchFn(url))
      for (const url of urls.axios) outcomes[`axios ${url}`] = await outcomeOf(() => api.get(url))
      span.end()
      return span.spanContext().spanId
    }),
  )
  const spans: ScenarioSpan[] = exporter.getFinishedSpans().map((s) => ({
    name: s.name,
    kind: s.kind,
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    parentSpanId: s.parentSpanContext?.spanId,
    url: s.attributes['url.full'] as string | undefined,
    errorType: s.attributes['error.type'] as string | undefined,
  }))
  return { pageSpanId, outcomes, spans, warnings: [...warnings] }
}

;(globalThis as { otelHttpScenario?: typeof scenario }).otelHttpScenario = scenario
