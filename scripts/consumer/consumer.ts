// A typed ESM consumer: the public types as a user's editor sees them.
import { createWitboostAxios } from '@wb/auth-axios';
import {
  createWitboostAuth,
  isWitboostAuthError,
  type WitboostAuth,
  type WitboostAuthErrorCode,
} from '@wb/auth-core';
import { witboostAuth as expressAuth } from '@wb/auth-express';
import { witboostAuth as koaAuth } from '@wb/auth-koa';
import { WitboostAuthModule } from '@wb/auth-nestjs';
import { startWitboostMock, type WitboostMock } from '@wb/witboost-mock';
import type { AxiosInstance } from 'axios';
import express from 'express';
import Koa from 'koa';
import { everyPackage } from './every-package.js';

export async function typed(wb: WitboostMock): Promise<WitboostAuthErrorCode | undefined> {
  const auth: WitboostAuth = createWitboostAuth({ baseUrl: wb.url, accessToken: 'wbat-x' });
  const client: AxiosInstance = createWitboostAxios({ auth });
  const app = express().use(expressAuth({ auth }));
  app.get('/', async (req, res) => {
    const header: string | undefined = await req.witboost.authorizationFor('/api/catalog/entities');
    res.json({ header: header !== undefined });
  });
  new Koa().use(koaAuth({ auth })).use(async (ctx) => {
    ctx.body = await ctx.state.witboost.getToken();
  });
  WitboostAuthModule.forRoot({ baseUrl: wb.url });
  try {
    await client.get('/api/catalog/entities');
  } catch (error) {
    if (isWitboostAuthError(error)) return error.code;
  }
  return undefined;
}

export const loaded = [startWitboostMock, everyPackage.length] as const;
