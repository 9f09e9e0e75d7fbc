/**
 * A lab's connection to its Redis: an ioredis client (https://github.com/redis/ioredis) the
 * grader opens and hands to the lab's code. Its keys are prefixed for you (a lab writes
 * `rl:alice`, the server holds `learner:<run>:rl:alice`, in scripts' KEYS too), and its user may
 * touch only those keys: build every key a script touches from KEYS, never inside the script.
 * Admin commands (CONFIG, FLUSHALL, DEBUG, ...) are refused.
 */
export type { Redis as RedisClient } from "ioredis";
