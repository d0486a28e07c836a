/**
 * Whether splitting a kernel still pays, learnt from its calls. After a split call the calling
 * thread knows how long its own part took and how long it then waited for the others: balanced
 * parts on free cores finish together, so a wait of (parts − 1) × its own part or more means the
 * split saved nothing (the other threads did not get a core: a busy machine, a core shared with
 * another program). Then the kernel's least work per part doubles, so it splits less or not at all;
 * it halves again after RELAX_MS, so a machine that frees up is used again. Parts only decide which
 * thread computes which rows or columns: the results never depend on any of this.
 */

/** Largest factor on the least work per part (a kernel that never pays stops splitting well before). */
const MAX_SCALE = 256;
/** How long a raised factor holds before it halves (and the kernel tries more threads again). */
const RELAX_MS = 1000;
/** Raise when the running mean of wait / ((parts − 1) · own) reaches this (the split saves under about a quarter of it). */
const NO_GAIN = 0.75;

export class SplitGovernor {
  private scale = 1;
  private lost = 0; // running mean of wait / ((parts − 1) · own)
  private changed = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** The factor on the least work per part, now (≥ 1). */
  factor(): number {
    if (this.scale > 1 && this.now() - this.changed >= RELAX_MS) this.set(this.scale / 2);
    return this.scale;
  }

  /** One split call: `parts` parts, this thread's own part took `ownMs`, then it waited `waitMs`. */
  observe(ownMs: number, waitMs: number, parts: number): void {
    const ratio = Math.min(4, waitMs / Math.max(ownMs * (parts - 1), 1e-3));
    this.lost = 0.7 * this.lost + 0.3 * ratio;
    if (this.lost >= NO_GAIN && this.scale < MAX_SCALE) this.set(this.scale * 2);
  }

  private set(scale: number): void {
    this.scale = scale;
    this.changed = this.now();
    this.lost = NO_GAIN / 2; // judge the new setting on its own calls
  }
}
