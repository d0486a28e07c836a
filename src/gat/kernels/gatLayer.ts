/**
 * The GAT layer, stated once (Veličković et al. 2018, "Graph Attention Networks"; pytorch-GAT's
 * GAT.py, implementation 3), with the constants every engine shares. The engines compute exactly
 * this and point here instead of restating it: the fused TypeScript kernels (projection.ts,
 * attention.ts, skip.ts, elementwise.ts), their C twin compiled to WebAssembly SIMD
 * (wasm/gatKernels.c, which gets the constants through wasm/gatLayer.h, generated from this module
 * by scripts/buildWasmKernels.mjs), the WGSL kernels (gpu/*Kernels.ts, which interpolate them
 * through gpu/wgslCommon.ts), the generic TensorFlow.js ops (model/genericEngine.ts) and the float64
 * reference (explain/explainNode.ts).
 *
 * Shape legend: N nodes, FIN input features, NH heads, FOUT features per head, HF = NH·FOUT,
 * E' edges j → i including one self-loop per node; W (HF, FIN), a_src and a_trg (NH, FOUT).
 *
 *   Step 1  projection      xd = dropout(x)                                              (N, FIN)
 *                           p = xd · Wᵀ                                                  (N, NH, FOUT)
 *   Step 2  edge attention  s_j = ⟨p[j, h], a_src[h]⟩,  t_i = ⟨p[i, h], a_trg[h]⟩        (N, NH) each
 *                           e_ij = LeakyReLU(s_j + t_i), negative slope LEAKY_RELU_SLOPE  (E', NH)
 *                           α_ij = exp(e_ij − m_i) / Σ_{k → i} exp(e_ik − m_i),  m_i = max_k e_ik
 *                           αD = dropout(α)                                              (E', NH)
 *   Step 3  aggregation     agg_i = Σ_{j → i} αD_ij · p_j  + skip_i                      (N, NH, FOUT)
 *                           skip: none, xd · W_sᵀ ('proj'), or xd per head ('identity', FIN = FOUT)
 *   Step 4  heads           hidden layers: out_i = ELU(concat_h agg_i + b)               (N, HF)
 *                           output layer:  out_i = mean_h agg_i + b                      (N, FOUT)
 *
 * (The generic engine subtracts one global maximum and adds 1e-16 to the softmax's denominator, as
 * GAT.py does: the same function up to rounding.)
 *
 * Dropout is inverted dropout drawn from counter-based random words, so that every engine, thread
 * and node subset draws the same mask for the same (seed, step, stream) (kernels/random.ts makes the
 * keys). In u32 arithmetic that wraps (Math.imul in TypeScript):
 *
 *   mix32(x)     = x ^= x >> HASH_SHIFT_1; x ·= HASH_MUL_1; x ^= x >> HASH_SHIFT_2; x ·= HASH_MUL_2;
 *                  x ^= x >> HASH_SHIFT_3                               (murmur3's 32-bit finaliser)
 *   word(key, k) = mix32(key ^ (k · HASH_GOLDEN))
 *   element k of stream `key` is dropped when word(key, k) >> DROPOUT_SHIFT < threshold, with
 *   threshold = round(p · DROPOUT_LEVELS); kept elements are scaled by DROPOUT_LEVELS / (DROPOUT_LEVELS − threshold).
 */

/** LeakyReLU's negative slope in the edge scores e_ij (the paper's 0.2). */
export const LEAKY_RELU_SLOPE = 0.2;

/** murmur3's finaliser (mix32): shifts and multipliers, in the order applied. */
export const HASH_SHIFT_1 = 16;
export const HASH_MUL_1 = 0x85ebca6b;
export const HASH_SHIFT_2 = 13;
export const HASH_MUL_2 = 0xc2b2ae35;
export const HASH_SHIFT_3 = 16;

/** 2³² / φ, odd: spreads consecutive indices (and steps) over the whole u32 range. */
export const HASH_GOLDEN = 0x9e3779b1;

/** Mixed into the seed and the stream id of a key (streamKey; keys are made on the CPU only). */
export const KEY_SEED_SALT = 0x5bd1e995;
export const KEY_STREAM_MUL = 0x27d4eb2f;

/** Dropout compares the top DROPOUT_BITS bits of a word with its threshold. */
export const DROPOUT_BITS = 16;
export const DROPOUT_SHIFT = 32 - DROPOUT_BITS;
export const DROPOUT_LEVELS = 2 ** DROPOUT_BITS;
