/**
 * Names the local Personalize-compatible endpoint answers to. ARNs are matched by resource name only, so
 * callers may use any region and account in them (the AWS CLI's default region works as it is).
 */
export interface WireConfig {
  readonly region: string;
  readonly accountId: string;
  /** Campaign (or recommender) names per recipe. */
  readonly campaigns: {
    readonly userPersonalization: string;
    readonly similarItems: string;
    readonly personalizedRanking: string;
  };
  /** The event tracker's trackingId that PutEvents must carry. */
  readonly trackingId: string;
  /** Dataset group name in the Items/Users dataset ARNs of PutItems/PutUsers. */
  readonly datasetGroupName: string;
}

export const DEFAULT_WIRE_CONFIG: WireConfig = {
  region: 'us-east-1',
  accountId: '000000000000',
  campaigns: {
    userPersonalization: 'local-user-personalization',
    similarItems: 'local-sims',
    personalizedRanking: 'local-personalized-ranking',
  },
  trackingId: 'local-tracking-id',
  datasetGroupName: 'local',
};

/** The ARNs a client should use against this endpoint (printed by `npm start`). */
export function wireArns(config: WireConfig = DEFAULT_WIRE_CONFIG) {
  const prefix = `arn:aws:personalize:${config.region}:${config.accountId}`;
  return {
    userPersonalizationCampaign: `${prefix}:campaign/${config.campaigns.userPersonalization}`,
    similarItemsCampaign: `${prefix}:campaign/${config.campaigns.similarItems}`,
    personalizedRankingCampaign: `${prefix}:campaign/${config.campaigns.personalizedRanking}`,
    itemsDataset: `${prefix}:dataset/${config.datasetGroupName}/ITEMS`,
    usersDataset: `${prefix}:dataset/${config.datasetGroupName}/USERS`,
    filter: (name: string) => `${prefix}:filter/${name}`,
  };
}
