// The soak's randomness: a small seeded generator, so a run's choices (which fault, when, which
// note, which tab) can be replayed from its printed seed. Node has no seeded generator, and this
// one is a few lines (mulberry32: 32-bit state, full period, good enough to pick test actions; not
// for cryptography).

/** A 32-bit seed from `LOCALFUL_SOAK_SEED` if set (decimal), otherwise a fresh random one. */
export function soakSeed(env = process.env) {
  const given = env.LOCALFUL_SOAK_SEED;
  if (given === undefined || given === '') return (Math.random() * 2 ** 32) >>> 0;
  if (!/^\d+$/.test(given) || Number(given) >= 2 ** 32) {
    throw new Error(`LOCALFUL_SOAK_SEED must be a whole number below 2^32 (got '${given}')`);
  }
  return Number(given);
}

/**
 * A generator of its own seeded from `seed` and `stream`: each stream (the fault schedule, each
 * device) draws from its own sequence, so how many draws one makes does not shift the others'.
 */
export function random(seed, stream = 0) {
  let state = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    /** A number in [0, 1). */
    next,
    /** A whole number in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    /** True with probability `p`. */
    chance: (p) => next() < p,
    /** One element of `list` (undefined if it is empty). */
    pick: (list) => list[Math.floor(next() * list.length)],
    /** One key of `weights` ({ name: weight }), chosen in proportion to its weight. */
    weighted: (weights) => {
      const entries = Object.entries(weights).filter(([, w]) => w > 0);
      let roll = next() * entries.reduce((sum, [, w]) => sum + w, 0);
      for (const [name, w] of entries) {
        roll -= w;
        if (roll < 0) return name;
      }
      return entries.at(-1)?.[0];
    },
  };
}
