// every comparison `npm run bench` runs; a chapter adds its own file beside this one and lists it here
import type { Comparison } from "./comparison.ts";
import { lruComparisons } from "./lru-cache.ts";

export const comparisons: Comparison[] = [...lruComparisons];
