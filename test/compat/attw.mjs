// Are the types wrong? Every tarball given, in one process (the CLI loads TypeScript once per
// package): each entry point must resolve under node10, node16 (CJS and ESM) and bundler.
// Prints the problems and exits 1 if any tarball has one.
import { readFileSync } from 'node:fs'
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core'

let problems = 0
for (const file of process.argv.slice(2)) {
  const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(file))))
  const found = result.types ? result.problems : [{ kind: 'NoTypes' }]
  problems += found.length
  for (const problem of found) {
    const where = [problem.entrypoint, problem.resolutionKind].filter(Boolean).join(' ')
    console.log(`${result.packageName}: ${problem.kind}${where ? ` (${where})` : ''}`)
  }
}
process.exit(problems ? 1 : 0)
