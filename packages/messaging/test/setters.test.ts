import { diag, type TextMapSetter } from '@opentelemetry/api'
import {
  amqpPropertiesGetter,
  amqpPropertiesSetter,
  kafkaHeadersGetter,
  kafkaHeadersSetter,
  type NatsHeadersLike,
  natsHeadersGetter,
  natsHeadersSetter,
  sqsAttributesGetter,
  sqsAttributesSetter,
} from '@otel-http/messaging'
import { headers as natsHeaders } from 'nats'
import { afterEach, describe, expect, it, vi } from 'vitest'

afterEach(() => vi.restoreAllMocks())

// A value a consumer could not pass on in an HTTP header, as every otel-http setter drops it.
const CASES = [
  {
    name: 'Kafka headers',
    carrier: (): object => ({}),
    setter: kafkaHeadersSetter,
    get: (c: object, k: string) => kafkaHeadersGetter.get(c as never, k),
  },
  {
    name: 'AMQP properties',
    carrier: (): object => ({}),
    setter: amqpPropertiesSetter,
    get: (c: object, k: string) => amqpPropertiesGetter.get(c, k),
  },
  {
    name: 'SQS and SNS attributes',
    carrier: (): object => ({}),
    setter: sqsAttributesSetter,
    get: (c: object, k: string) => sqsAttributesGetter.get(c as never, k),
  },
  {
    name: 'NATS headers',
    carrier: (): object => natsHeaders(),
    setter: natsHeadersSetter,
    get: (c: object, k: string) => natsHeadersGetter.get(c as NatsHeadersLike, k),
  },
]

describe.each(CASES)('$name setter', ({ carrier, setter, get }) => {
  it('drops a value with CR, LF, a control character, above U+00FF or not a string', () => {
    vi.spyOn(diag, 'warn').mockImplementation(() => {})
    const c = carrier()
    const set = setter as TextMapSetter<object>
    for (const value of [42 as unknown as string, '\u{1F600}', 'a\u0000b', 'a\r\nb'])
      set.set(c, 'baggage', value)
    expect(get(c, 'baggage')).toBeUndefined()
    set.set(c, 'baggage', 'k=v;p=1')
    expect(get(c, 'baggage')).toBe('k=v;p=1')
  })
})
