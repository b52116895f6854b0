import type { Context } from '@opentelemetry/api'

// Marks a layer's second slot as free. Context keys are symbols a caller creates; this one is
// never handed out, so no caller's key can match it.
const FREE: unique symbol = Symbol('free slot')

// How many layers may stack over the context below before setValue collapses them into one
// `Overrides`: a lookup walks at most this many layers, and a value one layer shadows stays
// reachable (not collectable) for at most this many further sets.
const MAX_DEPTH = 8

/**
 * The API's `ROOT_CONTEXT.setValue` copies the whole map into a new context, with three bound
 * closures, at every set. On a request's path core sets a few values in a row (the extracted span
 * context and its flags; the SERVER span and its handle), each copy thrown away by the next. A
 * layer instead holds two entries over the context it came from, in one small object: getValue
 * looks in the layers, then below. Past `MAX_DEPTH` layers they are merged into one map.
 */
class Layer implements Context {
  constructor(
    readonly below: Context,
    readonly depth: number,
    readonly key0: symbol,
    readonly value0: unknown,
    readonly key1: symbol,
    readonly value1: unknown,
  ) {}

  getValue(key: symbol): unknown {
    let layer: Context = this
    while (layer instanceof Layer) {
      if (layer.key1 === key) return layer.value1
      if (layer.key0 === key) return layer.value0
      layer = layer.below
    }
    return layer.getValue(key)
  }

  setValue(key: symbol, value: unknown): Context {
    const { below, depth, key0, value0, key1 } = this
    if (key1 === FREE || key1 === key) return new Layer(below, depth, key0, value0, key, value)
    if (key0 === key) return new Layer(below, depth, key, value, key1, this.value1)
    if (depth < MAX_DEPTH) return new Layer(this, depth + 1, key, value, FREE, undefined)
    return collapse(this).setValue(key, value)
  }

  // A value of undefined reads exactly as a missing key does (`Map#get`), so a deletion is a set.
  deleteValue(key: symbol): Context {
    return this.setValue(key, undefined)
  }
}

/** Layers merged: their entries in one map, over the context the first layer was set on. */
class Overrides implements Context {
  constructor(
    readonly below: Context,
    readonly values: Map<symbol, unknown>,
  ) {}

  getValue(key: symbol): unknown {
    const { values } = this
    return values.has(key) ? values.get(key) : this.below.getValue(key)
  }

  setValue(key: symbol, value: unknown): Context {
    return new Layer(this, 1, key, value, FREE, undefined)
  }

  deleteValue(key: symbol): Context {
    return this.setValue(key, undefined)
  }
}

function collapse(top: Layer): Overrides {
  const layers: Layer[] = []
  let below: Context = top
  while (below instanceof Layer) {
    layers.push(below)
    below = below.below
  }
  const values = below instanceof Overrides ? new Map(below.values) : new Map<symbol, unknown>()
  if (below instanceof Overrides) below = below.below
  // Oldest first, so a later set overwrites an earlier one.
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!
    values.set(layer.key0, layer.value0)
    if (layer.key1 !== FREE) values.set(layer.key1, layer.value1)
  }
  return new Overrides(below, values)
}

/**
 * `context.setValue(key, value)`, as a layer when `context` is the API's own (or another
 * implementation's): the sets after it go into the same small object instead of copying a map
 * each. Reads, sets and deletes behave as the API's `BaseContext` does.
 *
 * @example
 * // two entries, two small objects, no map copied:
 * const ctx = trace.setSpan(layerValue(parent, HANDLE, handle), span)
 */
export function layerValue(context: Context, key: symbol, value: unknown): Context {
  return context instanceof Layer || context instanceof Overrides
    ? context.setValue(key, value)
    : new Layer(context, 1, key, value, FREE, undefined)
}
