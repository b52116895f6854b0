export type { ResponseHeaders } from './raw-headers'
export type { UndiciResponse } from './traced-outcome'
export { tracingInterceptor, type UndiciOptions } from './tracing-interceptor'
