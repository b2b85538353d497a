import { channel } from 'node:diagnostics_channel';
import type { WitboostAuthEvent, WitboostLogger } from './types.js';

// Every event is also published there, for APM agents.
const diagnostics = channel('witboost.auth');

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
 * The one exit for events (none carries a token): `onEvent`, the logger, telemetry and the
 * diagnostics channel, each guarded so none can break a caller. The warm path never emits.
 */
export function createObserver(
  logger: WitboostLogger | undefined,
  onEvent: ((event: WitboostAuthEvent) => void) | undefined,
  telemetry?: (event: WitboostAuthEvent) => void,
): (event: WitboostAuthEvent) => void {
  const log =
    logger &&
    ((event: WitboostAuthEvent) => logger[levelOf(event)](logFields(event), MESSAGES[event.type]));
  const sinks = [telemetry, onEvent, log].filter((sink) => sink !== undefined);
  return function emit(event) {
    // Checked per event: an agent may subscribe after the instance was created.
    if (diagnostics.hasSubscribers) diagnostics.publish(event);
    for (const sink of sinks) {
      try {
        sink(event);
      } catch {
        // A faulty exporter, hook or logger must not turn a good token into a failed request.
      }
    }
  };
}

/** pino and other JSON loggers own `level`: a lookup's cache level goes out as `cacheLevel`. */
function logFields(event: WitboostAuthEvent): object {
  if (event.type !== 'cache_lookup') return event;
  const { level, ...rest } = event;
  return { ...rest, cacheLevel: level };
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
