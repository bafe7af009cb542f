/** mulberry32: small, fast, deterministic; returns numbers in [0, 1). */
export function prng(seed: number): () => number;
