import { HttpException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { WitboostAuthError } from '@wb/auth-core';
import { toWitboostHttpException, WitboostAuthExceptionFilter } from '@wb/auth-nestjs';
import { describe, expect, it } from 'vitest';

// The compat packages run this suite against other Nest majors; this proves which one ran.
describe('Nest under test', () => {
  it('is the expected major version', async () => {
    const expected = process.env.WB_EXPECTED_NEST_MAJOR;
    expect(expected).toMatch(/^\d+$/);
    const core = await import('@nestjs/core/package.json', { with: { type: 'json' } });
    const common = await import('@nestjs/common/package.json', { with: { type: 'json' } });
    expect(core.default.version.split('.')[0]).toBe(expected);
    expect(common.default.version.split('.')[0]).toBe(expected);
  });

  it('is the same copy of Nest that the library source uses', () => {
    // Classes from another copy of @nestjs/* would fail these checks (and DI tokens like
    // ModuleRef would not match).
    expect(new WitboostAuthExceptionFilter()).toBeInstanceOf(BaseExceptionFilter);
    const mapped = toWitboostHttpException(new WitboostAuthError('closed', 'closed'));
    expect(mapped).toBeInstanceOf(HttpException);
  });
});
