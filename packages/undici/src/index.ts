export type { UndiciOptions } from './deprecated-names'
export type { ResponseHeaders } from './raw-headers'
export type { UndiciResponse } from './traced-outcome'
export { type TracingInterceptorOptions, tracingInterceptor } from './tracing-interceptor'
