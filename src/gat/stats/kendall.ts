/**
 * Kendall's τ-b between two scorings of the same items: (concordant − discordant) pairs over the
 * geometric mean of the pairs untied in each. Ties count for neither side, so a method that ranks
 * many edges equally is not punished or rewarded for it. O(n²): receptive fields are small.
 */

/** τ-b, or null when either scoring ties every item (no ranking to compare). */
export function kendallTauB(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  if (b.length !== n) throw new RangeError(`kendallTauB: ${n} and ${b.length} items`);
  let concordant = 0;
  let discordant = 0;
  let untiedA = 0;
  let untiedB = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const da = Math.sign(a[i] - a[j]);
      const db = Math.sign(b[i] - b[j]);
      if (da !== 0) untiedA++;
      if (db !== 0) untiedB++;
      const p = da * db;
      if (p > 0) concordant++;
      else if (p < 0) discordant++;
    }
  }
  if (untiedA === 0 || untiedB === 0) return null;
  return (concordant - discordant) / Math.sqrt(untiedA * untiedB);
}

/** Whether every score is the same (a ranking with nothing in it). */
export function allTied(a: ArrayLike<number>): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] !== a[0]) return false;
  return true;
}
