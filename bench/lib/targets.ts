import { markdownTable } from './report'
import type { VariantName } from './variants'

/** One performance target, judged as a ratio of two CPU figures measured in the same run. */
export interface TargetResult {
  target: string
  /** What ours added, µs of CPU per request over the bare reference. */
  ours: number
  /** What the same-run reference added, µs over the same bare reference. */
  reference: number
  referenceName: string
  /** The largest allowed ours / reference. */
  limit: number
  /** The unit of `ours` and `reference`: µs added per request (default), ns per operation, or instructions per call. */
  unit?: 'µs/req' | 'ns/op' | 'instructions'
}

/** Fewer repetitions than this and a median says too little to judge by. */
export const MIN_REPS_FOR_VERDICT = 5

/**
 * Collects targets as the parts of the run report them, and prints them as one table: ratio,
 * limit and met / not met (or "not judged" for a run too short to judge).
 */
export class Targets {
  private readonly results: TargetResult[] = []
  constructor(private readonly judged: boolean) {}

  add(result: TargetResult): TargetResult {
    this.results.push(result)
    return result
  }

  /**
   * One client's targets from what each variant added over bare (undefined: not measured, its
   * targets left out): spans off against the by-hand inject, spans on against the by-hand span
   * and, when `auto` names the auto-instrumentation, against it.
   */
  addClient(
    label: string,
    added: (variant: VariantName) => number | undefined,
    { auto, unit }: { auto?: string; unit?: TargetResult['unit'] } = {},
  ): void {
    const pair = (
      target: string,
      ours: VariantName,
      reference: VariantName,
      referenceName: string,
      limit: number,
    ) => {
      const [o, r] = [added(ours), added(reference)]
      if (o !== undefined && r !== undefined) {
        this.add({ target: `${label}: ${target}`, unit, ours: o, reference: r, referenceName, limit })
      }
    }
    pair('spans off', 'spans-off', 'hand-inject', 'by hand: inject', 1)
    pair('spans on', 'spans-on', 'hand-span', 'by hand: span + inject', 1)
    if (auto) pair('spans on vs auto', 'spans-on', 'auto', auto, 0.8)
  }

  /** The verdict of one result as table text. */
  verdict({ ours, reference, limit }: TargetResult): string {
    if (!this.judged) return 'not judged (quick or < 5 reps)'
    // A reference that added nothing cannot be divided by: met only if ours added nothing either.
    if (!(reference > 0)) return ours <= 0 ? 'met' : 'NOT MET'
    return ours / reference <= limit ? 'met' : 'NOT MET'
  }

  table(): string {
    const sign = (value: number) => (value >= 0 ? '+' : '')
    const show = (value: number, unit = 'µs/req') =>
      unit === 'µs/req'
        ? `${sign(value)}${value.toFixed(1)} µs`
        : unit === 'ns/op'
          ? `${value.toFixed(0)} ns`
          : `${sign(value)}${Math.round(value).toLocaleString('en')} instr`
    return markdownTable(
      ['target', 'ours', 'reference', 'reference adds', 'ratio', 'limit', 'verdict'],
      this.results.map((result) => [
        result.target,
        show(result.ours, result.unit),
        result.referenceName,
        show(result.reference, result.unit),
        result.reference > 0 ? `${(result.ours / result.reference).toFixed(2)}×` : '–',
        `≤ ${result.limit.toFixed(2)}×`,
        this.verdict(result),
      ]),
    )
  }
}
