import { createServer } from 'node:http'
import { DiagConsoleLogger, DiagLogLevel, diag } from '@opentelemetry/api'
import { registerTracing } from './register-tracing'
import { testServiceListener } from './test-service'

diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN)
registerTracing()

const port = Number(process.env.PORT ?? 5000)
const host = process.env.HOST ?? '127.0.0.1'
const server = createServer(testServiceListener)
server.listen(port, host, () => {
  console.log(`W3C Trace Context test service: POST http://${host}:${port}/test`)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
  })
}
