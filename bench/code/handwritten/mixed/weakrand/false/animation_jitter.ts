export function jitter(base: number): number {
  const delay = base + Math.random() * 250;
  return Math.round(delay);
}
