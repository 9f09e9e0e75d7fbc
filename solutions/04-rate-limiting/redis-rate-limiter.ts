/**
 * A sliding-window rate limiter on Redis, the reference solution.
 * Chapter: chapters/04-rate-limiting/README.md#lab-a-sliding-window-limiter-on-redis
 *
 * One sorted set per key, each allowed request a member scored by its time. One Lua script drops
 * the members that left the window, counts, and adds this request only if it fits: Redis runs a
 * script alone, so no other gateway's request lands between the count and the add. ioredis's
 * defineCommand sends it by EVALSHA and loads it again when the server answers NOSCRIPT.
 */
import { randomBytes } from "node:crypto";
import type { Clock, RedisClient } from "#kit";

export interface RedisLimiterOptions {
  /** requests a key may make in any window of windowMs */
  limit: number;
  windowMs: number;
  clock: Clock;
}

export interface Decision {
  allowed: boolean;
  /** requests still allowed in the window ending now, after this decision: X-RateLimit-Remaining */
  remaining: number;
}

// KEYS[1] the key's sorted set; ARGV now, windowMs, limit, a member unique to this request
const SLIDING_WINDOW = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1}
end
return {0, 0}
`;

type WithScript = RedisClient & {
  slidingWindow(key: string, now: number, windowMs: number, limit: number, member: string): Promise<[number, number]>;
};

export class RedisRateLimiter {
  readonly #redis: WithScript;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #clock: Clock;
  // members must differ between requests in the same ms, from this limiter and every other one
  readonly #instance = randomBytes(6).toString("hex");
  #sequence = 0;

  constructor(redis: RedisClient, options: RedisLimiterOptions) {
    const { limit, windowMs, clock } = options;
    if (!Number.isInteger(limit) || limit <= 0) throw new RangeError(`limit must be a positive whole number: ${limit}`);
    if (!Number.isInteger(windowMs) || windowMs <= 0)
      throw new RangeError(`windowMs must be a positive whole number: ${windowMs}`);
    if (!("slidingWindow" in redis)) redis.defineCommand("slidingWindow", { numberOfKeys: 1, lua: SLIDING_WINDOW });
    this.#redis = redis as WithScript;
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  async tryAcquire(key: string): Promise<Decision> {
    const now = this.#clock.now();
    const member = `${now}:${this.#instance}:${this.#sequence++}`;
    const [allowed, remaining] = await this.#redis.slidingWindow(`rl:${key}`, now, this.#windowMs, this.#limit, member);
    return { allowed: allowed === 1, remaining };
  }
}
