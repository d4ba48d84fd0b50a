import { estimateTemplate, renderMarkdown } from '../../bench/cost';
import { HOURS_PER_MONTH, PRICES } from '../../bench/prices-us-east-1';

const NAT_MONTH = (PRICES.natGatewayHour + PRICES.publicIpv4Hour) * HOURS_PER_MONTH;

describe('cost of the defaults', () => {
  test('prices every NAT gateway and offers the single-NAT saving', () => {
    const cost = estimateTemplate('S', { Resources: { A: { Type: 'AWS::EC2::NatGateway' }, B: { Type: 'AWS::EC2::NatGateway' }, C: { Type: 'AWS::EC2::NatGateway' } } });
    expect(cost.total).toBeCloseTo(3 * NAT_MONTH);
    expect(cost.alternatives).toEqual([{ choice: expect.stringMatching(/NatGateways.SINGLE/), monthlyDelta: expect.closeTo(-2 * NAT_MONTH) }]);
  });

  test('prices Fargate tasks at their desired count, with the spot share after the on-demand base', () => {
    const resources = {
      Td: { Type: 'AWS::ECS::TaskDefinition', Properties: { RequiresCompatibilities: ['FARGATE'], Cpu: '1024', Memory: '2048' } },
      Svc: {
        Type: 'AWS::ECS::Service',
        Properties: {
          TaskDefinition: { Ref: 'Td' },
          DesiredCount: 4,
          CapacityProviderStrategy: [{ CapacityProvider: 'FARGATE', Base: 2, Weight: 1 }, { CapacityProvider: 'FARGATE_SPOT', Weight: 1 }],
        },
      },
    };
    const hourly = PRICES.fargateVcpuHourX86 + 2 * PRICES.fargateGbHourX86;
    // 2 base tasks on demand, the other 2 split 1:1: one of four tasks runs on spot.
    const expected = 4 * hourly * HOURS_PER_MONTH * (1 - 0.25 * PRICES.fargateSpotDiscount);
    const line = estimateTemplate('S', { Resources: resources }).lines.find((l) => l.item.startsWith('Fargate tasks'));
    expect(line).toMatchObject({ count: 4, item: expect.stringContaining('25% spot') });
    expect(line!.monthly).toBeCloseTo(expected);
  });

  test('prices node group disks from their launch template rather than the EKS default', () => {
    const cost = estimateTemplate('S', { Resources: {
      Lt: { Type: 'AWS::EC2::LaunchTemplate', Properties: { LaunchTemplateData: { BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 50, VolumeType: 'gp3' } }] } } },
      Ng: { Type: 'AWS::EKS::Nodegroup', Properties: { InstanceTypes: ['m7i.large'], ScalingConfig: { DesiredSize: 2 }, LaunchTemplate: { Id: { Ref: 'Lt' } } } },
    } });
    expect(cost.lines[0]).toMatchObject({ item: expect.stringContaining('50 GB gp3') });
    expect(cost.lines[0].monthly).toBeCloseTo(2 * (0.1008 * HOURS_PER_MONTH + 50 * PRICES.ebsGp3GbMonth));
  });

  test('prices spot node groups at the assumed discount and on-demand ones at list price', () => {
    const cost = estimateTemplate('S', { Resources: {
      OnDemand: { Type: 'AWS::EKS::Nodegroup', Properties: { InstanceTypes: ['m7i.large'], ScalingConfig: { DesiredSize: 2 }, DiskSize: 20 } },
      Spot: { Type: 'AWS::EKS::Nodegroup', Properties: { InstanceTypes: ['m7g.large'], ScalingConfig: { DesiredSize: 2 }, CapacityType: 'SPOT', DiskSize: 20 } },
    } });
    const [onDemand, spot] = cost.lines;
    expect(onDemand.monthly).toBeCloseTo(2 * (0.1008 * HOURS_PER_MONTH + 20 * PRICES.ebsGp3GbMonth));
    expect(spot.monthly).toBeCloseTo(2 * (0.0816 * HOURS_PER_MONTH * (1 - PRICES.ec2SpotDiscount) + 20 * PRICES.ebsGp3GbMonth));
    expect(cost.alternatives.map((a) => a.choice)).toEqual(['OnDemand: spot capacity instead of on-demand']);
  });

  test('says when an instance type is not in the price table instead of pricing it at zero silently', () => {
    const cost = estimateTemplate('S', { Resources: { Ng: { Type: 'AWS::EKS::Nodegroup', Properties: { InstanceTypes: ['x9.huge'], ScalingConfig: { DesiredSize: 1 } } } } });
    expect(cost.lines[0].note).toBe('instance type not in the price table');
  });

  test('renders one table per stack with its total', () => {
    const md = renderMarkdown([estimateTemplate('Net', { Resources: { N: { Type: 'AWS::EC2::NatGateway' } } })]);
    expect(md).toContain(`**Net**: about **$${NAT_MONTH.toFixed(0)}/month**`);
    expect(md).toContain('| NAT gateway (hours + its public IPv4) | 1 |');
  });
});
