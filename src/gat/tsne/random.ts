/**
 * Seeded pseudo-random numbers, so that a t-SNE run is reproducible from its seed.
 * mulberry32 is small, fast and good enough for initial layouts and vantage-point choice.
 */
import { seededRandom } from '../data/seededRandom';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (Box-Muller). */
  normal(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
}

export function createRandom(seed: number): Random {
  let spare = NaN;
  const { next } = seededRandom(seed); // mulberry32, as the generated datasets use
  return {
    next,
    normal(): number {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(bound: number): number {
      return Math.floor(next() * bound);
    },
  };
}
