/**
 * Lab: a sliding-window rate limiter on Redis (difficulty 2, about an hour)
 * Read:  chapters/04-rate-limiting/README.md#lab-a-sliding-window-limiter-on-redis
 * Grade: npm run grade -- redis-rate-limiter (starts a redis-server of its own; REDIS_URL to use yours)
 * Hint:  npm run hint -- redis-rate-limiter
 *
 * Build the sliding window log of the kata before it on a real Redis, shared by many gateways:
 * one sorted set per rate-limited key, each allowed request a member scored by its time.
 * - A request of `key` at t = clock.now() (ms) is allowed when fewer than `limit` requests of that
 *   key were allowed in (t − windowMs, t]. A request exactly windowMs old has left the window.
 *   A rejected request is not logged. Requests of one key in the same millisecond each count.
 * - remaining: the requests still allowed in the window ending at t, after this decision.
 * - One atomic step on the server: check and write in one Lua script, sent once (SCRIPT LOAD, or
 *   ioredis's defineCommand) and run by EVALSHA, not sent again with every call. When the server
 *   answers NOSCRIPT (it restarted, or its script cache was flushed), load it again and go on.
 * - Any number of limiters, over any number of connections, call at once: the limit holds across
 *   all of them, as it must for gateways that share one Redis.
 * - Keys expire: a key the limiter writes has a time to live of at most windowMs (a whole second
 *   more if you use EXPIRE) from the last request it allowed, and a sorted set holds at most
 *   `limit` members. A constant number of keys of the limiter's own (a sequence) may live on.
 * - Every key a script touches comes in through KEYS: the client prefixes them, and the lab's
 *   user may touch no other keys.
 * - limit and windowMs are positive whole numbers; otherwise the constructor throws a RangeError.
 * Time comes from `clock` so the grader can move it; in production pass nothing and read the
 * server's TIME inside the script (the chapter's "Server time" says why).
 */
import { type Clock, type RedisClient, todo } from "#kit";

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

export class RedisRateLimiter {
  constructor(redis: RedisClient, options: RedisLimiterOptions) {
    // TODO: check the options, keep the client, and define the script once.
    todo("RedisRateLimiter constructor", redis, options);
  }

  async tryAcquire(key: string): Promise<Decision> {
    // TODO: one EVALSHA: drop what left the window, count, and add this request only if it fits.
    return todo("RedisRateLimiter.tryAcquire", key);
  }
}
