/**
 * us-east-1 on-demand list prices used by bench/cost.ts, in USD.
 *
 * Recorded 2026-11-23 from the AWS pricing pages (VPC/NAT, ELB, EKS, Fargate, EC2, EFS, CloudWatch,
 * KMS, WAF, public IPv4) as cross-checked against 2026 pricing write-ups. Prices change: treat the
 * output as an order of magnitude for comparing defaults, not as a quote.
 */
export const PRICES_RECORDED_ON = '2026-11-23';
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  natGatewayHour: 0.045,
  publicIpv4Hour: 0.005,
  albHour: 0.0225,
  /** One LCU-hour; an idle ALB still bills a fraction, we count one LCU as the floor. */
  albLcuHour: 0.008,
  interfaceEndpointAzHour: 0.01,
  eksClusterStandardHour: 0.10,
  eksClusterExtendedHour: 0.60,
  fargateVcpuHourX86: 0.04048,
  fargateGbHourX86: 0.004445,
  fargateVcpuHourArm: 0.03238,
  fargateGbHourArm: 0.00356,
  /** Fargate Spot is billed at up to 70% off; we assume the full discount. */
  fargateSpotDiscount: 0.70,
  /** EC2 Spot varies by pool; 65% off on-demand is the assumption for the estimate. */
  ec2SpotDiscount: 0.65,
  ebsGp3GbMonth: 0.08,
  efsStandardGbMonth: 0.30,
  kmsKeyMonth: 1.0,
  logsIngestGb: 0.50,
  logsStoreGbMonth: 0.03,
  wafWebAclMonth: 5.0,
  wafRuleMonth: 1.0,
  ecrStorageGbMonth: 0.10,
};

/** EC2 on-demand Linux prices per hour for the instance types the examples and defaults use. */
export const EC2_HOURLY: Record<string, number> = {
  't3.medium': 0.0416,
  't3.large': 0.0832,
  't4g.medium': 0.0336,
  't4g.large': 0.0672,
  'm5.large': 0.096,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm7i.large': 0.1008,
  'm7i.xlarge': 0.2016,
  'm6g.large': 0.077,
  'm7g.large': 0.0816,
  'm7g.xlarge': 0.1632,
  'c6i.large': 0.085,
  'c7i.large': 0.08925,
  'c6g.large': 0.068,
  'c7g.large': 0.0725,
  'c7g.xlarge': 0.145,
  'r7g.large': 0.1071,
};
