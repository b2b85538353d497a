import { HttpService } from '@nestjs/axios';
import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { WitboostAuthService } from '@wb/auth-nestjs';
import { firstValueFrom } from 'rxjs';

/** A data product as this service presents it. */
export interface DataProductSummary {
  name: string;
  title: string;
  domain: string | undefined;
  owner: string | undefined;
}

/** Body of `POST /policies/validate`, passed on to Witboost's Computational Governance API. */
export interface ValidateRequest {
  policy: string;
  resource: Record<string, unknown>;
}

/** Witboost's verdict. */
export interface ValidateResponse {
  policy: string;
  satisfiesPolicy: boolean;
  errors: string[];
}

interface CatalogEntity {
  metadata: { name: string; title?: string };
  spec?: Record<string, string>;
}

/**
 * Two routes backed by Witboost. The catalog call uses the service's own axios instance; the
 * governance call goes through `@nestjs/axios`'s `HttpService`, authenticated because the module
 * was registered with `httpService: true` (the CG scope is picked from the URL).
 */
@Controller()
export class WitboostController {
  // Explicit tokens keep injection working when a toolchain emits no decorator metadata.
  constructor(
    @Inject(WitboostAuthService) private readonly witboost: WitboostAuthService,
    @Inject(HttpService) private readonly http: HttpService,
  ) {}

  @Get('data-products')
  async dataProducts(): Promise<DataProductSummary[]> {
    const { data } = await this.witboost.axios.get<CatalogEntity[]>('/api/catalog/entities', {
      params: { kind: 'DataProduct' },
    });
    return data.map((entity) => ({
      name: entity.metadata.name,
      title: entity.metadata.title ?? entity.metadata.name,
      domain: entity.spec?.domain,
      owner: entity.spec?.owner,
    }));
  }

  @Post('policies/validate')
  @HttpCode(200)
  async validate(@Body() body: ValidateRequest): Promise<ValidateResponse> {
    const url = `${this.witboost.auth.baseUrl}/api/computational-governance/validate`;
    const { data } = await firstValueFrom(this.http.post<ValidateResponse>(url, body));
    return data;
  }
}
