/** `items` rotated left by `by`: each repetition starts the alternation at a different variant. */
export function rotate<T>(items: readonly T[], by: number): T[] {
  const shift = by % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}
