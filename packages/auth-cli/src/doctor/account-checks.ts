import { basicAuthorization, createWitboostAuth, redactToken } from '@wb/auth-core';
import { authOptions, CG_SCOPE, loadConfig, readAccessToken } from '../config.js';
import { EXIT_REJECTED, EXIT_USAGE } from '../exit-codes.js';
import { probeExchange } from '../probe-exchange.js';
import { type Check, fail, failure, notRun } from './check.js';

export const configuration: Check = {
  name: 'configuration',
  async run(state) {
    try {
      const config = await loadConfig(state.values, state.io);
      // createWitboostAuth validates the URLs (https, or http to loopback) without any I/O.
      await createWitboostAuth(authOptions(config)).close();
      const accessToken = await readAccessToken(config);
      state.config = config;
      state.accessToken = accessToken;
      return {
        status: 'PASS',
        detail: `${config.baseUrl} (${config.mode}${config.cgUrl ? `, CG at ${config.cgUrl}` : ''}), token ${redactToken(accessToken)} from ${config.tokenLabel}`,
      };
    } catch (error) {
      return { ...failure(error, 'see wb-auth --help for the variables'), exitCode: EXIT_USAGE };
    }
  },
};

export const exchange: Check = {
  name: 'exchange',
  async run(state) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.reachable)
      return notRun('needs reachability');
    try {
      const { result, roundTripMs, dateSkewMs } = await probeExchange(
        config,
        accessToken,
        undefined,
      );
      state.exchanged = true;
      state.dateSkewMs ??= dateSkewMs;
      if (result.claims.iat !== undefined)
        state.iatSkewMs = result.claims.iat * 1000 - result.sentAt;
      return {
        status: 'PASS',
        detail: `subject ${result.claims.sub ?? '(none)'}, JWT lifetime ${result.lifetimeSeconds} s, ${roundTripMs} ms`,
      };
    } catch (error) {
      return failure(error, 'run wb-auth status for details');
    }
  },
};

export const cgScope: Check = {
  name: 'cg-scope',
  async run(state) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.exchanged)
      return notRun('needs a working exchange');
    try {
      const { result } = await probeExchange(config, accessToken, CG_SCOPE);
      const granted = (result.claims.scope ?? '').split(/\s+/).includes(CG_SCOPE);
      return granted
        ? { status: 'PASS', detail: `a JWT with scope ${CG_SCOPE} was issued` }
        : fail(
            `the JWT issued for ${CG_SCOPE} does not carry that scope`,
            'ask an administrator to grant the account access to Computational Governance',
            EXIT_REJECTED,
          );
    } catch (error) {
      return failure(
        error,
        'ask an administrator to grant the account access to Computational Governance',
      );
    }
  },
};

export const basic: Check = {
  name: 'basic-auth',
  async run(state, signal) {
    const { config, accessToken } = state;
    if (!config || accessToken === undefined || !state.exchanged)
      return notRun('needs a working exchange');
    try {
      const response = await fetch(`${config.baseUrl}/api/catalog/entities?limit=1`, {
        headers: { authorization: basicAuthorization(accessToken) },
        redirect: 'manual',
        signal,
      });
      await response.body?.cancel();
      const enabled = response.status >= 200 && response.status < 300;
      if (enabled) return { status: 'PASS', detail: `enabled (HTTP ${response.status})` };
      if (config.mode === 'bearer') {
        return {
          status: 'PASS',
          detail: `disabled (HTTP ${response.status}): fine, wb-auth uses Bearer`,
        };
      }
      return fail(
        `disabled on this installation (HTTP ${response.status}), but Basic mode is configured`,
        'drop --basic / WITBOOST_AUTH_MODE=basic, or enable it in values.yaml: ui.appConfig.backend.auth.basicAuth.enabled: true (and the governance platform’s basic-auth.enabled)',
        EXIT_REJECTED,
      );
    } catch (error) {
      return failure(error, 'check reachability');
    }
  },
};
