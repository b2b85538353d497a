import { createHash } from 'node:crypto';
import type { RedisClientLike } from './client-shape.js';

// Runs a list of calls in one command: `g` GET, `s` SET PX, `n` SET NX PX, `d` compare-and-delete.
// A read answers the value or nil (also for a key of another type, as MGET would); a write 1
// (done) or 0 (NX found a value, or the value to delete had changed), or Redis's error text when
// Redis refused it (e.g. OOM when full): that call fails, the others of the batch still count.
export const CALLS = `local function get(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' then return false end
  return value
end
local function refused(reply)
  return type(reply) == 'table' and reply.err
end
local out, a = {}, 1
for i, key in ipairs(KEYS) do
  local op = ARGV[a]
  if op == 'g' then
    out[i] = get(key)
    a = a + 1
  elseif op == 'd' then
    local deleted = get(key) == ARGV[a + 1] and redis.pcall('DEL', key) or 0
    out[i] = refused(deleted) or deleted
    a = a + 2
  else
    local reply = op == 's' and redis.pcall('SET', key, ARGV[a + 1], 'PX', ARGV[a + 2])
      or op == 'n' and redis.pcall('SET', key, ARGV[a + 1], 'NX', 'PX', ARGV[a + 2])
    out[i] = refused(reply) or (reply and 1 or 0)
    a = a + 3
  end
end
return out`;

/** The answer of one call of {@link CALLS}: a string for a write means Redis refused it. */
export function callAnswer(reply: unknown, index: number, write: boolean): unknown {
  const value = Array.isArray(reply) ? reply[index] : undefined;
  if (write && (typeof value === 'string' || value instanceof Buffer)) {
    throw new Error(`Redis refused the write: ${String(value).slice(0, 80)}`);
  }
  return value;
}

const digests = new Map<string, string>();

/**
 * Runs a Lua script by its SHA-1 (`EVALSHA`), sending the whole text (`EVAL`) only when the
 * server does not know it yet (`NOSCRIPT`: first use, a restart, `SCRIPT FLUSH`, a failover).
 * Redis caches every script EVAL ran, so that happens once per server. A client without
 * `evalSha` gets `EVAL` every time.
 */
export function runScript(
  client: RedisClientLike,
  script: string,
  keys: string[],
  args: string[],
): Promise<unknown> {
  const options = { keys, arguments: args };
  if (typeof client.evalSha !== 'function') return client.eval(script, options);
  let sha = digests.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    digests.set(script, sha);
  }
  return client.evalSha(sha, options).catch((error: unknown) => {
    // Nothing ran: the script is unknown to this server. Anything else is the answer.
    if (!/^NOSCRIPT/.test(String((error as Error | null)?.message))) throw error;
    return client.eval(script, options);
  });
}
