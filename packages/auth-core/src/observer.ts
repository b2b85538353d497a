import type { WitboostAuthEvent, WitboostLogger } from './types.js';

type Level = 'debug' | 'info' | 'warn' | 'error';

const MESSAGES: Record<WitboostAuthEvent['type'], string> = {
  exchange: 'witboost: access token exchanged for a JWT',
  exchange_failed: 'witboost: JWT exchange failed',
  refresh_scheduled: 'witboost: JWT refresh scheduled',
  invalidated: 'witboost: JWT dropped after a 401',
  replay_after_401: 'witboost: request replayed after a 401',
  token_source_changed: 'witboost: access token source returned a new token',
  clock_warning: 'witboost: a server clock disagrees; the token lifetime was trusted instead',
  caller_waiting: 'witboost: a caller is waiting for a token',
  cache_lookup: 'witboost: token cache lookup',
  store_call: 'witboost: shared token store call',
  store_state: 'witboost: shared token store availability changed',
};

/**
 * The single exit for observability: events go to `onEvent` and to the logger. Neither may
 * break the caller, so both are guarded. Events never carry a token by construction.
 */
export function createObserver(
  logger: WitboostLogger | undefined,
  onEvent: ((event: WitboostAuthEvent) => void) | undefined,
): (event: WitboostAuthEvent) => void {
  if (logger === undefined && onEvent === undefined) return () => {};
  return function emit(event) {
    if (onEvent !== undefined) {
      try {
        onEvent(event);
      } catch {
        // A faulty hook must not turn a good token into a failed request.
      }
    }
    if (logger !== undefined) {
      try {
        logger[levelOf(event)](event, MESSAGES[event.type]);
      } catch {
        // Same for a faulty logger.
      }
    }
  };
}

function levelOf(event: WitboostAuthEvent): Level {
  switch (event.type) {
    case 'exchange_failed':
      return event.background || event.retryInMs !== undefined ? 'warn' : 'error';
    case 'invalidated':
    case 'replay_after_401':
    case 'token_source_changed':
    case 'store_state':
      return 'info';
    case 'clock_warning':
      return 'warn';
    default:
      return 'debug';
  }
}
