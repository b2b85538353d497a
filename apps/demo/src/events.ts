import type { WitboostAuthEvent } from '@wb/auth-core';
import { duration, relative, scopeLabel } from './format.js';

type Scheduled = Extract<WitboostAuthEvent, { type: 'refresh_scheduled' }>;

/**
 * One readable line per `onEvent` event. An exchange is shown with the refresh it schedules.
 * Events carry no token by construction, so nothing here needs redacting.
 */
export function describeEvent(event: WitboostAuthEvent, scheduled?: Scheduled): string {
  switch (event.type) {
    case 'exchange': {
      const how = event.background ? 'background exchange' : 'exchange';
      // exp - iat counts from when the request was sent: about durationMs ago.
      const expiresIn = event.lifetimeSeconds * 1000 - event.durationMs;
      const refresh = scheduled ? `refresh ${relative(scheduled.refreshAt)}, ` : '';
      return `${how} (${duration(event.durationMs)}): scope ${scopeLabel(event.scope)}, lifetime ${event.lifetimeSeconds} s, expires in ${duration(expiresIn)}; ${refresh}handed out until ${relative(event.expiresAt)}`;
    }
    case 'exchange_failed': {
      const status = event.status === undefined ? '' : ` HTTP ${event.status}`;
      const retry =
        event.retryInMs === undefined ? 'no retry' : `retry in ${duration(event.retryInMs)}`;
      const serving = event.background ? ', still serving the valid token' : '';
      return `exchange failed:${status} ${event.code}, ${retry}${serving}`;
    }
    case 'refresh_scheduled':
      return `refresh scheduled ${relative(event.refreshAt)} (scope ${scopeLabel(event.scope)})`;
    case 'invalidated':
      return `invalidated the JWT (scope ${scopeLabel(event.scope)}) after a 401`;
    case 'replay_after_401':
      return `replayed ${event.method} ${new URL(event.url).pathname} after the 401`;
    case 'token_source_changed':
      return `access token source returned a new token (${event.source})`;
  }
}
