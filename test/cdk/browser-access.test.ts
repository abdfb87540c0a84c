import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../cdk/config/load.ts';
import { API_ROUTE_LIST } from '../../src/api/routes.ts';
import { STACK_OUTPUTS } from '../../src/config/stack-outputs.ts';
import { preflightReply } from '../../src/serving/http/response.ts';
import { type Template, templatesOf } from './templates-fixture.ts';

type Props = Record<string, unknown>;

/** `METHOD /path` → the method's properties, paths rebuilt from the resource tree. */
function methodsByRoute(template: Template): Map<string, Props> {
  const pathOf = (ref: unknown): string => {
    const id = (ref as { Ref?: string }).Ref;
    const resource = id ? template.Resources[id] : undefined;
    if (!resource) return '';
    return `${pathOf(resource.Properties?.['ParentId'])}/${resource.Properties?.['PathPart']}`;
  };
  const found = new Map<string, Props>();
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::ApiGateway::Method') continue;
    found.set(`${r.Properties?.['HttpMethod']} ${pathOf(r.Properties?.['ResourceId'])}`, r.Properties ?? {});
  }
  return found;
}

describe('Browsers can call the API', () => {
  let serving: Template;
  beforeAll(async () => {
    ({ serving } = await templatesOf(loadConfig()));
  }, 120_000);

  it('answers the preflight of every path without the API key, through the handler', () => {
    const methods = methodsByRoute(serving);
    for (const path of new Set(API_ROUTE_LIST.map((r) => r.path))) {
      const options = methods.get(`OPTIONS ${path}`);
      expect(options, `OPTIONS ${path}`).toBeDefined();
      expect(options?.['ApiKeyRequired']).toBe(false);
      expect(options?.['Integration']).toMatchObject({ Type: 'AWS_PROXY' });
    }
  });

  it('sends other methods of a known path to the handler (405 with Allow), still behind the key', () => {
    const methods = methodsByRoute(serving);
    for (const path of new Set(API_ROUTE_LIST.map((r) => r.path))) {
      expect(methods.get(`ANY ${path}`)?.['ApiKeyRequired'], `ANY ${path}`).toBe(true);
    }
  });

  it('allows the x-api-key header in the preflight answer', () => {
    const reply = preflightReply(['GET'], 'r1', { allowOrigin: '*' });
    expect(reply.headers['Access-Control-Allow-Headers']?.toLowerCase()).toContain('x-api-key');
  });

  it("answers API Gateway's own errors as JSON with CORS headers: unknown paths get 404", () => {
    const responses = Object.values(serving.Resources).filter(
      (r) => r.Type === 'AWS::ApiGateway::GatewayResponse',
    );
    const byType = new Map(responses.map((r) => [r.Properties?.['ResponseType'], r.Properties ?? {}]));
    expect(byType.get('MISSING_AUTHENTICATION_TOKEN')).toMatchObject({ StatusCode: '404' });
    for (const type of ['MISSING_AUTHENTICATION_TOKEN', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      const response = byType.get(type);
      expect(response, type).toBeDefined();
      expect(response?.['ResponseParameters']).toMatchObject({
        'gatewayresponse.header.Access-Control-Allow-Origin': "'*'",
      });
      const template = (response!['ResponseTemplates'] as Record<string, string>)['application/json']!;
      expect(template).toMatch(/"message":.*"requestId":"\$context\.requestId"/);
    }
  });

  it('outputs the API key id that the README tells users to look up', () => {
    expect(Object.keys(serving.Outputs ?? {})).toContain(STACK_OUTPUTS.apiKeyId);
  });
});
