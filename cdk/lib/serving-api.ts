import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  JsonSchemaType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  Model,
  Period,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  API_ROUTE_LIST,
  pathParamNames,
  requiredQueryParams,
  requiresJsonBody,
} from '../../src/api/routes.ts';
import type { AppConfig } from '../config/schema.ts';
import { acknowledgeNag } from './nag.ts';

export interface ServingApiProps {
  readonly name: string;
  readonly stage: string;
  readonly serving: AppConfig['serving'];
  readonly logRetention: RetentionDays;
  readonly recommend: IFunction;
  readonly events: IFunction;
  /** `Access-Control-Allow-Origin` on API Gateway's own error answers (the handlers set it on theirs). */
  readonly allowOrigin: string;
}

/**
 * REST API in front of the recommend and events Lambdas: API key + usage plan, stage throttling, JSON access
 * logs, X-Ray. Gateway validation only rejects malformed requests early; the handlers check every limit.
 */
export class ServingApi extends Construct {
  readonly api: RestApi;
  /** `aws apigateway get-api-key --api-key <id> --include-value` prints the key. */
  readonly apiKeyId: string;

  constructor(scope: Construct, id: string, props: ServingApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Resource', {
      restApiName: props.name,
      description: 'Recommendations from Amazon Personalize with a local fallback model',
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stage,
        throttlingRateLimit: props.serving.throttle.rateLimit,
        throttlingBurstLimit: props.serving.throttle.burstLimit,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.OFF,
      },
      defaultMethodOptions: { apiKeyRequired: true },
    });
    const key = this.api.addApiKey('ApiKey', { description: 'Default client key; create one per client' });
    const plan = this.api.addUsagePlan('UsagePlan', {
      throttle: props.serving.throttle,
      quota: { limit: props.serving.dailyQuota, period: Period.DAY },
      apiStages: [{ api: this.api, stage: this.api.deploymentStage }],
    });
    plan.addApiKey(key);

    // One validator: API Gateway checks declared parameters on GET and the JSON model on POST.
    const validator = new RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestParameters: true,
      validateRequestBody: true,
    });
    const jsonObject = new Model(this, 'JsonObject', {
      restApi: this.api,
      contentType: 'application/json',
      schema: { type: JsonSchemaType.OBJECT },
    });
    const integrations = {
      recommend: new LambdaIntegration(props.recommend),
      events: new LambdaIntegration(props.events),
    };
    // Every route of the manifest (src/api/routes.ts), which the Lambdas route by too.
    const lambdaOfPath = new Map<string, keyof typeof integrations>();
    for (const route of API_ROUTE_LIST) {
      const requestParameters = Object.fromEntries([
        ...pathParamNames(route.path).map((name) => [`method.request.path.${name}`, true]),
        ...requiredQueryParams(route).map((name) => [`method.request.querystring.${name}`, true]),
      ]);
      this.api.root.resourceForPath(route.path).addMethod(route.method, integrations[route.lambda], {
        requestValidator: validator,
        ...(Object.keys(requestParameters).length > 0 && { requestParameters }),
        ...(requiresJsonBody(route) && { requestModels: { 'application/json': jsonObject } }),
      });
      lambdaOfPath.set(route.path, route.lambda);
    }
    for (const [path, lambda] of lambdaOfPath) {
      const resource = this.api.root.resourceForPath(path);
      // Browsers send the preflight without the API key: it must not need one. The handler answers it with
      // the path's methods and the allowed headers (x-api-key among them).
      resource.addMethod('OPTIONS', integrations[lambda], { apiKeyRequired: false });
      // Any other method reaches the handler too, which answers 405 with Allow, as documented, instead of
      // API Gateway's 403 "Missing Authentication Token". It still needs the key.
      resource.addMethod('ANY', integrations[lambda]);
    }
    this.addErrorResponses(props.allowOrigin);
    this.apiKeyId = key.keyId;
    acknowledgeNag(
      this,
      'APIG3',
      'WAF is optional (billed per web ACL); stage throttling and usage-plan quotas bound abuse',
    );
    acknowledgeNag(
      this,
      'APIG4',
      'clients authenticate with API keys bound to the usage plan; add an IAM or Cognito authorizer per deployment if needed',
    );
    acknowledgeNag(this, 'COG4', 'clients authenticate with API keys bound to the usage plan, not Cognito');
    acknowledgeNag(
      this,
      'APIG6',
      'execution logging needs the account-wide API Gateway CloudWatch role; JSON access logs are on',
    );
  }

  /**
   * Answers API Gateway's own errors (unknown path, missing or bad key, throttling, its 5xx) as JSON shaped
   * like the handlers' errors, with the CORS headers a browser needs to read them.
   */
  private addErrorResponses(allowOrigin: string): void {
    const headers = {
      'Access-Control-Allow-Origin': `'${allowOrigin}'`,
      'Access-Control-Expose-Headers': "'x-request-id'",
      'x-request-id': 'context.requestId',
    };
    const body = (message: string) => ({
      'application/json': `{"message":${message},"requestId":"$context.requestId"}`,
    });
    const gatewayMessage = '$context.error.messageString';
    this.api.addGatewayResponse('UnknownRoute', {
      type: ResponseType.MISSING_AUTHENTICATION_TOKEN,
      statusCode: '404',
      responseHeaders: headers,
      templates: body('"no route for $context.httpMethod $context.path"'),
    });
    for (const [id, type] of [
      ['Default4xx', ResponseType.DEFAULT_4XX],
      ['Default5xx', ResponseType.DEFAULT_5XX],
    ] as const) {
      this.api.addGatewayResponse(id, { type, responseHeaders: headers, templates: body(gatewayMessage) });
    }
  }
}
