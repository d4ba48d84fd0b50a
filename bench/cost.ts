/**
 * Estimates the monthly cost of what each synthesized example creates, from bench/prices-us-east-1.ts.
 *
 *   npm run cost                    # synthesizes the app into cdk.out, prints the tables, writes bench/COST.md
 *   npx tsx bench/cost.ts <dir> [out.md]  # reads the *.template.json files of a cloud assembly
 *
 * Only what a template fixes is priced: running hours of NAT gateways, load balancers, endpoints,
 * clusters, nodes and tasks at their desired counts, keys, web ACLs, and a log-ingestion floor of
 * 1 GB a month per log group. Traffic, storage growth and pods scheduled later are not.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EC2_HOURLY, HOURS_PER_MONTH, PRICES, PRICES_RECORDED_ON } from './prices-us-east-1';

/** One priced line of a stack's estimate. */
export interface CostLine {
  readonly item: string;
  readonly count: number;
  readonly monthly: number;
  readonly note?: string;
}

/** A saving a user can choose with one prop. */
export interface CostAlternative {
  readonly choice: string;
  readonly monthlyDelta: number;
}

export interface StackCost {
  readonly stack: string;
  readonly lines: CostLine[];
  readonly total: number;
  readonly alternatives: CostAlternative[];
}

type Resources = Record<string, { Type: string; Properties?: any }>;

const LOG_FLOOR_GB = 1;

/** Prices one CloudFormation template. */
export function estimateTemplate(stack: string, template: { Resources?: Resources }): StackCost {
  const resources = template.Resources ?? {};
  const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  const lines: CostLine[] = [];
  const alternatives: CostAlternative[] = [];
  const month = (hourly: number) => hourly * HOURS_PER_MONTH;
  const add = (item: string, count: number, monthlyEach: number, note?: string) => {
    if (count > 0) {
      lines.push({ item, count, monthly: count * monthlyEach, note });
    }
  };

  const nats = byType('AWS::EC2::NatGateway').length;
  add('NAT gateway (hours + its public IPv4)', nats, month(PRICES.natGatewayHour + PRICES.publicIpv4Hour));
  if (nats > 1) {
    alternatives.push({ choice: `natGateways: NatGateways.SINGLE instead of ${nats} (one per AZ)`, monthlyDelta: -(nats - 1) * month(PRICES.natGatewayHour + PRICES.publicIpv4Hour) });
  }

  const albs = byType('AWS::ElasticLoadBalancingV2::LoadBalancer');
  for (const [, alb] of albs) {
    const internetFacing = alb.Properties?.Scheme !== 'internal';
    const azs = Array.isArray(alb.Properties?.Subnets) ? alb.Properties.Subnets.length : 2;
    add(`Application Load Balancer (${internetFacing ? `internet-facing, ${azs} public IPv4` : 'internal'}, 1 LCU floor)`, 1,
      month(PRICES.albHour + PRICES.albLcuHour + (internetFacing ? azs * PRICES.publicIpv4Hour : 0)));
  }

  const endpoints = byType('AWS::EC2::VPCEndpoint').filter(([, e]) => e.Properties?.VpcEndpointType === 'Interface');
  const endpointAzs = endpoints.reduce((n, [, e]) => n + (Array.isArray(e.Properties?.SubnetIds) ? e.Properties.SubnetIds.length : 2), 0);
  add('Interface VPC endpoint, per AZ', endpointAzs, month(PRICES.interfaceEndpointAzHour), `${endpoints.length} endpoints`);

  for (const [, cluster] of byType('AWS::EKS::Cluster')) {
    const extended = cluster.Properties?.UpgradePolicy?.SupportType === 'EXTENDED';
    add(`EKS control plane (${extended ? 'extended' : 'standard'} support)`, 1, month(extended ? PRICES.eksClusterExtendedHour : PRICES.eksClusterStandardHour));
  }

  for (const [id, ng] of byType('AWS::EKS::Nodegroup')) {
    const types: string[] = ng.Properties?.InstanceTypes ?? ['t3.medium'];
    const desired = ng.Properties?.ScalingConfig?.DesiredSize ?? ng.Properties?.ScalingConfig?.MinSize ?? 1;
    const hourly = EC2_HOURLY[types[0]];
    const spot = ng.Properties?.CapacityType === 'SPOT';
    // Disks come from the launch template when there is one (PlatformCluster's), else DiskSize (EKS default 20 GB).
    const disk = launchTemplateDiskGb(resources, ng.Properties?.LaunchTemplate?.Id?.Ref) ?? ng.Properties?.DiskSize ?? 20;
    if (hourly === undefined) {
      lines.push({ item: `EKS node group ${id} (${types[0]})`, count: desired, monthly: 0, note: 'instance type not in the price table' });
      continue;
    }
    const each = month(hourly) * (spot ? 1 - PRICES.ec2SpotDiscount : 1) + disk * PRICES.ebsGp3GbMonth;
    add(`EKS nodes ${id} (${types[0]}, ${spot ? 'spot' : 'on-demand'}, ${disk} GB gp3)`, desired, each);
    if (!spot) {
      alternatives.push({ choice: `${id}: spot capacity instead of on-demand`, monthlyDelta: -desired * month(hourly) * PRICES.ec2SpotDiscount });
    }
  }

  const profiles = byType('AWS::EKS::FargateProfile');
  if (profiles.length > 0) {
    lines.push({ item: 'EKS Fargate profiles', count: profiles.length, monthly: 0, note: 'billed per pod: 0.25 vCPU / 1 GB pod ≈ $' + month(0.25 * PRICES.fargateVcpuHourX86 + 1 * PRICES.fargateGbHourX86).toFixed(2) + '/month' });
  }

  lines.push(...fargateServices(resources));
  lines.push(...ecsAutoScalingGroups(resources, alternatives));

  add('EFS file system', byType('AWS::EFS::FileSystem').length, 0, `storage billed per GB: $${PRICES.efsStandardGbMonth}/GB-month`);
  add('KMS key', byType('AWS::KMS::Key').length, PRICES.kmsKeyMonth);
  for (const [, acl] of byType('AWS::WAFv2::WebACL')) {
    const rules = (acl.Properties?.Rules ?? []).length;
    add(`WAF web ACL (${rules} rules, before requests)`, 1, PRICES.wafWebAclMonth + rules * PRICES.wafRuleMonth);
  }
  const logGroups = byType('AWS::Logs::LogGroup').length;
  add(`CloudWatch log group (ingestion floor ${LOG_FLOOR_GB} GB/month)`, logGroups, LOG_FLOOR_GB * (PRICES.logsIngestGb + PRICES.logsStoreGbMonth));
  add('ECR repository', byType('AWS::ECR::Repository').length, 0, `storage billed per GB: $${PRICES.ecrStorageGbMonth}/GB-month`);

  const total = lines.reduce((sum, l) => sum + l.monthly, 0);
  return { stack, lines, total, alternatives };
}

/** Fargate services at their desired count, with the Spot share of their capacity provider strategy. */
function fargateServices(resources: Resources): CostLine[] {
  const lines: CostLine[] = [];
  for (const [id, svc] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ECS::Service')) {
    const taskDefRef = svc.Properties?.TaskDefinition?.Ref;
    const taskDef = taskDefRef ? resources[taskDefRef] : undefined;
    const compat: string[] = taskDef?.Properties?.RequiresCompatibilities ?? [];
    if (!taskDef || !compat.includes('FARGATE')) {
      continue;
    }
    const vcpu = Number(taskDef.Properties.Cpu) / 1024;
    const gb = Number(taskDef.Properties.Memory) / 1024;
    const arm = taskDef.Properties.RuntimePlatform?.CpuArchitecture === 'ARM64';
    const desired = typeof svc.Properties?.DesiredCount === 'number' ? svc.Properties.DesiredCount : 1;
    const hourly = vcpu * (arm ? PRICES.fargateVcpuHourArm : PRICES.fargateVcpuHourX86) + gb * (arm ? PRICES.fargateGbHourArm : PRICES.fargateGbHourX86);
    const spotShare = fargateSpotShare(svc.Properties?.CapacityProviderStrategy, desired);
    const monthlyEach = hourly * HOURS_PER_MONTH * (1 - spotShare * PRICES.fargateSpotDiscount);
    lines.push({
      item: `Fargate tasks ${id} (${vcpu} vCPU / ${gb} GB ${arm ? 'ARM64' : 'x86_64'}${spotShare > 0 ? `, ${Math.round(spotShare * 100)}% spot` : ''})`,
      count: desired,
      monthly: desired * monthlyEach,
    });
  }
  return lines;
}

/** The share of tasks on FARGATE_SPOT for a strategy, after the on-demand base. */
function fargateSpotShare(strategy: any[] | undefined, desired: number): number {
  if (!Array.isArray(strategy) || strategy.length === 0 || desired === 0) {
    return 0;
  }
  const base = strategy.reduce((b, s) => b + (s.Base ?? 0), 0);
  const weights = strategy.reduce((w, s) => w + (s.Weight ?? 0), 0);
  const spotWeight = strategy.filter((s) => s.CapacityProvider === 'FARGATE_SPOT').reduce((w, s) => w + (s.Weight ?? 0), 0);
  const rest = Math.max(0, desired - base);
  return weights === 0 ? 0 : (rest * spotWeight) / weights / desired;
}

/** ECS container instances of Auto Scaling groups, at their desired (or minimum) capacity. */
function ecsAutoScalingGroups(resources: Resources, alternatives: CostAlternative[]): CostLine[] {
  const lines: CostLine[] = [];
  for (const [id, asg] of Object.entries(resources).filter(([, r]) => r.Type === 'AWS::AutoScaling::AutoScalingGroup')) {
    const ltRef = asg.Properties?.LaunchTemplate?.LaunchTemplateId?.Ref;
    const type: string | undefined = ltRef ? resources[ltRef]?.Properties?.LaunchTemplateData?.InstanceType : undefined;
    const count = Number(asg.Properties?.DesiredCapacity ?? asg.Properties?.MinSize ?? 0);
    const hourly = type ? EC2_HOURLY[type] : undefined;
    if (hourly === undefined) {
      lines.push({ item: `EC2 instances ${id} (${type ?? 'unknown type'})`, count, monthly: 0, note: 'instance type not in the price table' });
      continue;
    }
    const diskGb = launchTemplateDiskGb(resources, ltRef) ?? 0;
    lines.push({ item: `EC2 instances ${id} (${type}, on-demand${diskGb ? `, ${diskGb} GB gp3` : ''})`, count, monthly: count * (hourly * HOURS_PER_MONTH + diskGb * PRICES.ebsGp3GbMonth) });
    if (count > 0) {
      alternatives.push({ choice: `${id}: spot instances instead of on-demand`, monthlyDelta: -count * hourly * HOURS_PER_MONTH * PRICES.ec2SpotDiscount });
    }
  }
  return lines;
}

/** The GB of EBS volumes a launch template of the template gives each instance; undefined without volumes. */
function launchTemplateDiskGb(resources: Resources, launchTemplateRef: string | undefined): number | undefined {
  const volumes: any[] = (launchTemplateRef ? resources[launchTemplateRef]?.Properties?.LaunchTemplateData?.BlockDeviceMappings : undefined) ?? [];
  return volumes.length === 0 ? undefined : volumes.reduce((gb, v) => gb + (v.Ebs?.VolumeSize ?? 0), 0);
}

/** Markdown for a set of estimates. */
export function renderMarkdown(costs: StackCost[]): string {
  const out: string[] = [`Monthly estimate in USD, us-east-1 list prices recorded ${PRICES_RECORDED_ON} (bench/prices-us-east-1.ts), ${HOURS_PER_MONTH} hours a month.`, ''];
  for (const c of costs) {
    out.push(`**${c.stack}**: about **$${c.total.toFixed(0)}/month**`, '', '| item | count | $/month | note |', '| --- | ---: | ---: | --- |');
    for (const l of c.lines) {
      out.push(`| ${l.item} | ${l.count} | ${l.monthly.toFixed(2)} | ${l.note ?? ''} |`);
    }
    for (const a of c.alternatives) {
      out.push(`| *choice:* ${a.choice} | | ${a.monthlyDelta.toFixed(2)} | |`);
    }
    out.push('');
  }
  return out.join('\n');
}

if (require.main === module) {
  const dir = process.argv[2] ?? 'cdk.out';
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.template.json')).sort();
  if (files.length === 0) {
    throw new Error(`no *.template.json in ${dir}; run 'npx cdk synth -q' first`);
  }
  const costs = files.map((f) => estimateTemplate(f.replace(/\.template\.json$/, ''), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))));
  const markdown = renderMarkdown(costs);
  process.stdout.write(markdown + '\n');
  if (process.argv[3]) {
    fs.writeFileSync(process.argv[3], `# Cost of the defaults\n\nWritten by \`npm run cost\` (bench/cost.ts) from the example app's templates.\n\n${markdown}\n`);
  }
}
