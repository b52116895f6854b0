import { describe, expect, it } from 'vitest'
import { formatTraceparent, parseTraceparent } from '../src/w3c/traceparent'

const TID = '4bf92f3577b34da6a3ce929d0e0e4736'
const SID = '00f067aa0ba902b7'
const ok = (flags: number) => ({ traceId: TID, spanId: SID, flags })

describe('parseTraceparent', () => {
  it.each([
    ['sampled', `00-${TID}-${SID}-01`, ok(1)],
    ['not sampled', `00-${TID}-${SID}-00`, ok(0)],
    ['random-trace-id only', `00-${TID}-${SID}-02`, ok(2)],
    ['sampled + random-trace-id', `00-${TID}-${SID}-03`, ok(3)],
    ['unknown flag bits dropped', `00-${TID}-${SID}-ff`, ok(3)],
    ['unknown flag bit 0x08 dropped', `00-${TID}-${SID}-09`, ok(1)],
    ['leading space', ` 00-${TID}-${SID}-01`, ok(1)],
    ['leading tab', `\t00-${TID}-${SID}-01`, ok(1)],
    ['trailing space and tab', `00-${TID}-${SID}-01 \t`, ok(1)],
    ['OWS both sides', `\t 00-${TID}-${SID}-01 \t`, ok(1)],
    ['future version, same length', `cc-${TID}-${SID}-01`, ok(1)],
    ['future version, more fields', `cc-${TID}-${SID}-01-what-the-future-will-be-like`, ok(1)],
    ['future version keeps the known flags', `01-${TID}-${SID}-03-x`, ok(3)],
  ])('accepts %s', (_name, header, expected) => {
    expect(parseTraceparent(header)).toEqual(expected)
  })

  it.each([
    ['empty', ''],
    ['version ff', `ff-${TID}-${SID}-01`],
    ['version 00 with a trailing character', `00-${TID}-${SID}-01.`],
    ['version 00 with more fields', `00-${TID}-${SID}-01-what-the-future-will-be-like`],
    ['future version with a non-dash after flags', `cc-${TID}-${SID}-01.what-the-future-will-be-like`],
    ['future version shorter than 55', `cc-${TID}-${SID}-1`],
    ['illegal version character (first)', `.0-${TID}-${SID}-01`],
    ['illegal version character (second)', `0.-${TID}-${SID}-01`],
    ['upper-case version', `0A-${TID}-${SID}-01`],
    ['version too long', `000-${TID}-${SID}-01`],
    ['version too short', `0-${TID}-${SID}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${SID}-01`],
    ['all-zero parent id', `00-${TID}-${'0'.repeat(16)}-01`],
    ['upper-case trace id', `00-${TID.toUpperCase()}-${SID}-01`],
    ['upper-case parent id', `00-${TID}-00F067AA0BA902B7-01`],
    ['upper-case flags', `00-${TID}-${SID}-0A`],
    ['illegal trace id character', `00-.${TID.slice(1)}-${SID}-01`],
    ['trace id too long', `00-${TID}3-${SID}-01`],
    ['trace id too short', `00-${TID.slice(1)}-${SID}-01`],
    ['illegal parent id character', `00-${TID}-${SID.slice(0, 15)}.-01`],
    ['parent id too long', `00-${TID}-${SID}7-01`],
    ['parent id too short', `00-${TID}-${SID.slice(1)}-01`],
    ['illegal flags character', `00-${TID}-${SID}-.0`],
    ['flags too long', `00-${TID}-${SID}-001`],
    ['flags too short', `00-${TID}-${SID}-1`],
    ['two headers joined by a transport', `00-${TID}-${SID}-01, 00-${TID}-${SID}-01`],
    ['two future-version headers joined', `cc-${TID}-${SID}-01-x,cc-${TID}-${SID}-01`],
    ['non-ASCII character', `00-${TID.slice(0, 31)}é-${SID}-01`],
  ])('rejects %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeUndefined()
  })
})

describe('formatTraceparent', () => {
  it.each([
    [0, '00'],
    [1, '01'],
    [2, '02'],
    [3, '03'],
    [0xff, '03'],
    [0x04, '00'],
  ])('writes version 00 with flags %i as %s', (flags, text) => {
    expect(formatTraceparent(TID, SID, flags)).toBe(`00-${TID}-${SID}-${text}`)
  })
})
