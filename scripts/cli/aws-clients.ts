import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PersonalizeClient } from '@aws-sdk/client-personalize';
import { S3Client } from '@aws-sdk/client-s3';

/** The AWS clients of the commands, configured from the environment (region, credentials, profile). */
export const awsClients = () => ({
  s3: new S3Client({}),
  personalize: new PersonalizeClient({}),
  cloudFormation: new CloudFormationClient({}),
});
