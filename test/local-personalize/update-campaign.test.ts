import { DescribeCampaignCommand, UpdateCampaignCommand } from '@aws-sdk/client-personalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adoptDemoEngine } from '../../src/local-personalize/index.ts';
import { DEFAULT_WIRE_CONFIG, wireArns } from '../../src/personalize-wire/config.ts';
import { startTestServer, type TestServer } from './server.ts';

describe('Operation: UpdateCampaign', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
    await adoptDemoEngine(server.plane, { engine: server.engine, names: DEFAULT_WIRE_CONFIG, filters: [] });
  });
  afterAll(() => server.stop());

  const versionOf = async (campaignArn: string) =>
    (await server.personalize.send(new DescribeCampaignCommand({ campaignArn }))).campaign!
      .solutionVersionArn!;

  it("refuses a version of another recipe type, which would break the campaign's clients", async () => {
    const arns = wireArns(DEFAULT_WIRE_CONFIG);
    const sims = await versionOf(arns.similarItemsCampaign);

    const update = server.personalize.send(
      new UpdateCampaignCommand({ campaignArn: arns.userPersonalizationCampaign, solutionVersionArn: sims }),
    );

    await expect(update).rejects.toMatchObject({ name: 'InvalidInputException' });
    await expect(update).rejects.toThrow(
      /solutionVersionArn: uses aws-sims \(RELATED_ITEMS\), the campaign serves aws-user-personalization.* \(USER_PERSONALIZATION\)/,
    );
    // The campaign keeps its version and has no pending update.
    const { campaign } = await server.personalize.send(
      new DescribeCampaignCommand({ campaignArn: arns.userPersonalizationCampaign }),
    );
    expect(campaign?.solutionVersionArn).not.toBe(sims);
    expect(campaign?.latestCampaignUpdate).toBeUndefined();
  });
});
