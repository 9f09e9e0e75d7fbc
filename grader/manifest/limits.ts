/** a kata's limits when its manifest gives none: time from its worker's start on its spec, and heap */
export const DEFAULT_LIMITS = { timeMs: 20_000, memoryMb: 512 } as const;
