/** The outcome of a two-sided Mann-Whitney U test of two samples. */
export interface MannWhitney {
  /** Probability of ranks at least this lopsided if both samples came from one distribution. */
  p: number;
  /** Median of each sample, for the failure message. */
  medians: [number, number];
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Complementary error function (Abramowitz & Stegun 7.1.26, error below 1.5e-7: plenty for a p-value). */
function erfc(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const value = poly * Math.exp(-x * x);
  return x >= 0 ? value : 2 - value;
}

/**
 * Mann-Whitney U with the normal approximation and the tie correction (samples of a few hundred).
 * Rank-based, so a handful of slow outliers (a GC pause, a busy machine) cannot fake a difference,
 * and no latency threshold is involved: it asks whether one sample tends to be faster.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const all = [...a.map((value) => ({ value, first: true })), ...b.map((value) => ({ value, first: false }))].sort(
    (x, y) => x.value - y.value,
  );
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.value === all[i]!.value) j += 1;
    const rank = (i + j) / 2 + 1;
    const tied = j - i + 1;
    tieTerm += tied ** 3 - tied;
    for (let k = i; k <= j; k += 1) if (all[k]!.first) rankSumA += rank;
    i = j + 1;
  }
  const [n1, n2] = [a.length, b.length];
  const n = n1 + n2;
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sd === 0 ? 0 : (Math.abs(u - mean) - 0.5) / sd;
  return { p: Math.min(1, erfc(Math.max(0, z) / Math.SQRT2)), medians: [median(a), median(b)] };
}
