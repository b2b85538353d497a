import { channel } from 'node:diagnostics_channel';
import type { WitboostAuthEvent, WitboostLogger } from './types.js';

/**
 * Every event is also published on the `diagnostics_channel` of this name, for APM agents:
 * `subscribe('witboost.auth', (event) => …)` from `node:diagnostics_channel`.
 */
export const DIAGNOSTICS_CHANNEL = 'witboost.auth';
const diagnostics = channel(DIAGNOSTICS_CHANNEL);

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
 * The single exit for observability: events go to `onEvent`, the logger, telemetry and the
 * diagnostics channel. None may break the caller, so each is guarded. Events never carry a token
 * by construction. Only slow paths emit, so the warm path pays nothing for any of them.
 */
export function createObserver(
  logger: WitboostLogger | undefined,
  onEvent: ((event: WitboostAuthEvent) => void) | undefined,
  telemetry?: (event: WitboostAuthEvent) => void,
): (event: WitboostAuthEvent) => void {
  return function emit(event) {
    // Checked per event: an agent may subscribe after the instance was created.
    if (diagnostics.hasSubscribers) diagnostics.publish(event);
    if (telemetry !== undefined) {
      try {
        telemetry(event);
      } catch {
        // A faulty SDK or exporter must not fail a request either.
      }
    }
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
