/**
 * A callgrind dump read function by function: each function's own (exclusive) instructions, the
 * way `callgrind_annotate --inclusive=no` lists them, but as data. Only what the attribution
 * needs of the format (https://valgrind.org/docs/manual/cl-format.html): one event (`Ir`), line
 * positions, names compressed as `(id) name` on first use, `calls=` lines whose following cost
 * line is the callee's inclusive cost and so not the caller's own.
 */
import { readFileSync } from 'node:fs'

/** One function of a dump: its name as callgrind gives it, and the object file it is in. */
export interface DumpFunction {
  name: string
  /** The object file (`/usr/bin/node`, `libc.so.6`); `???` for code outside any, such as V8's JIT code. */
  object: string
  /** Instructions run in the function itself, callees left out. */
  self: number
  /** Who called it: the inclusive instructions of the calls from each caller. */
  callers: Map<DumpFunction, number>
}

const compressed = /^\((\d+)\)(?: (.*))?$/

/** Resolves `(id) name` / `(id)` against the names seen so far (one table per kind of name). */
function named(table: Map<string, string>, spec: string): string {
  const match = compressed.exec(spec)
  if (!match) return spec
  const [, id, name] = match
  if (name !== undefined) table.set(id!, name)
  return table.get(id!) ?? `(${id})`
}

/**
 * The functions of one callgrind dump with their exclusive instructions and their callers, and
 * the dump's `pid:`.
 */
export function dumpFunctions(file: string): { pid: number; functions: DumpFunction[] } {
  const objects = new Map<string, string>()
  const names = new Map<string, string>()
  const byKey = new Map<string, DumpFunction>()
  const functionOf = (object: string, name: string) => {
    const id = `${object}\u0000${name}`
    let fn = byKey.get(id)
    if (!fn) {
      fn = { name, object, self: 0, callers: new Map() }
      byKey.set(id, fn)
    }
    return fn
  }
  let pid = 0
  let object = '???'
  let current: DumpFunction | undefined
  // The callee of the next `calls=` line (`cob=` and `cfn=`), and of the cost line after it.
  let calleeObject: string | undefined
  let calleeName = ''
  let callee: DumpFunction | undefined
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const first = line.charCodeAt(0)
    // A cost line: a position (number, +n, -n or *) then the instructions.
    if ((first >= 48 && first <= 57) || first === 43 || first === 45 || first === 42) {
      const space = line.indexOf(' ')
      const cost = space === -1 ? 0 : Number(line.slice(space + 1).split(' ', 1)[0])
      if (callee) {
        if (current) callee.callers.set(current, (callee.callers.get(current) ?? 0) + cost)
        callee = undefined
      } else if (current) current.self += cost
      continue
    }
    const equals = line.indexOf('=')
    if (equals === -1) {
      if (line.startsWith('pid: ')) pid = Number(line.slice(5))
      continue
    }
    const key = line.slice(0, equals)
    const value = line.slice(equals + 1)
    if (key === 'ob') object = named(objects, value)
    else if (key === 'cob') calleeObject = named(objects, value)
    else if (key === 'cfn') calleeName = named(names, value)
    else if (key === 'calls') {
      callee = functionOf(calleeObject ?? object, calleeName)
      calleeObject = undefined
    } else if (key === 'fn') current = functionOf(object, named(names, value))
  }
  return { pid, functions: [...byKey.values()] }
}
