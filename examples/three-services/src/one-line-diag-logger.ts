import type { DiagLogger } from '@opentelemetry/api'
import { firstLine } from './otlp-endpoint'

/**
 * A `diag` logger that writes each message as one line on stderr: an `Error` argument (an
 * exporter's `OTLPExporterError`, a socket error) is reduced to its message, where
 * `DiagConsoleLogger` would print its stack and every property.
 *
 * @example
 * diag.setLogger(oneLineDiagLogger(), DiagLogLevel.WARN)
 */
export function oneLineDiagLogger(write: (line: string) => void = (line) => console.error(line)): DiagLogger {
  const log = (message: string, ...args: unknown[]) =>
    write([message, ...args.map(brief)].filter((part) => part !== '').join(' '))
  return { error: log, warn: log, info: log, debug: log, verbose: log }
}

function brief(arg: unknown): string {
  if (arg instanceof Error) return `(${firstLine(arg)})`
  if (Array.isArray(arg)) return arg.map(brief).join(' ')
  if (typeof arg === 'object' && arg !== null) return firstLine(JSON.stringify(arg))
  return firstLine(arg)
}
