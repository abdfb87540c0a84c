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
}

/**
 * REST API in front of the recommend and events Lambdas: API key + usage plan, stage throttling, JSON access
 * logs, X-Ray. Gateway validation only rejects malformed requests early; the handlers check every limit.
 */
export class ServingApi extends Construct {
  readonly api: RestApi;

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
    }
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
}
