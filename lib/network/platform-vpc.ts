import { Fn, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { validateLogRetention } from '../compliance/log-retention';
import { parseIpv4Cidr } from './ipv4-cidr';

/** The default VPC range: a /16 leaves room for the VPC CNI, which gives every pod a VPC address. */
const DEFAULT_CIDR = '10.0.0.0/16';
/** Three AZs: a control plane, NAT or load balancer survives the loss of one zone with a majority left. */
const DEFAULT_AZ_COUNT = 3;
/** One year of flow logs covers the retention most audit frameworks (PCI DSS 10.7) ask for. */
const DEFAULT_FLOW_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
/** Subnets that hold workloads get 1/8 of the VPC each (a /19 of a /16). */
const WORKLOAD_SUBNET_EXTRA_BITS = 3;
/** Public subnets of the public+private layout hold only NAT gateways and load balancers: 1/64 (a /22 of a /16). */
const EDGE_SUBNET_EXTRA_BITS = 6;
/** A load balancer needs a /27 subnet at least; with 6 extra bits the VPC may be at most a /21. */
const MAX_VPC_PREFIX = 21;
/** AWS's largest VPC block. */
const MIN_VPC_PREFIX = 16;

/** Which subnet tiers the VPC has (the three layouts of the container-platform notes). */
export enum VpcLayout {
  /**
   * Public subnets for load balancers and NAT gateways, private subnets for workloads.
   * The layout to use in production.
   */
  PUBLIC_AND_PRIVATE = 'PUBLIC_AND_PRIVATE',
  /** Public subnets only: workloads get public addresses and reach the internet through the internet gateway. */
  PUBLIC_ONLY = 'PUBLIC_ONLY',
  /** Isolated subnets only: no internet gateway, no NAT; AWS services are reached through VPC endpoints. */
  PRIVATE_ONLY = 'PRIVATE_ONLY',
}

/** How private subnets reach the internet. */
export enum NatGateways {
  /** One NAT gateway in every AZ: the loss of a zone does not cut the others off. */
  ONE_PER_AZ = 'ONE_PER_AZ',
  /** One NAT gateway for all AZs: cheaper, but all egress fails with its zone. */
  SINGLE = 'SINGLE',
  /** No NAT gateway: private subnets are isolated and reach AWS through VPC endpoints. */
  NONE = 'NONE',
}

/** Props of {@link PlatformVpc}. */
export interface PlatformVpcProps {
  /**
   * The subnet tiers.
   * @default VpcLayout.PUBLIC_AND_PRIVATE
   */
  readonly layout?: VpcLayout;

  /**
   * How private subnets reach the internet. Only the PUBLIC_AND_PRIVATE layout can hold NAT gateways.
   * @default - NatGateways.ONE_PER_AZ for PUBLIC_AND_PRIVATE, NatGateways.NONE for the other layouts
   */
  readonly natGateways?: NatGateways;

  /**
   * How many availability zones the VPC spans: 2 or 3.
   * @default - the length of `availabilityZones` when given, else 3
   */
  readonly azCount?: number;

  /**
   * The availability zones by name, e.g. `['us-east-1a', 'us-east-1b', 'us-east-1c']`.
   * Name them when the region has zones a service does not support (EKS does not run its
   * control plane in `use1-az3`).
   * @default - the first `azCount` zones of the stack's region, resolved at deploy time with `Fn::GetAZs` (no lookup at synth)
   */
  readonly availabilityZones?: string[];

  /**
   * The VPC's IPv4 range, from /16 to /21.
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * Record all traffic in VPC flow logs to a CloudWatch log group.
   * @default true
   */
  readonly flowLogs?: boolean;

  /**
   * How long flow logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * The KMS key that encrypts the flow log group. Its key policy must let the CloudWatch Logs
   * service principal of the region use it for the group, whose name CloudFormation generates as
   * `<stack name>-*` (a LogEncryptionKey of this app admits it by itself).
   * @default - a LogEncryptionKey is created: rotation on, retained when the stack is deleted
   */
  readonly flowLogKey?: kms.IKey;

  /**
   * Interface endpoints to create, each in every workload subnet.
   * @default - PlatformVpc.CONTAINER_ENDPOINTS when workloads have no NAT (PRIVATE_ONLY, or NatGateways.NONE), else none
   */
  readonly interfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];
}

/**
 * A VPC laid out for container platforms: ECS services, EKS clusters and their load balancers.
 *
 * - Public subnets carry `kubernetes.io/role/elb=1`, private ones `kubernetes.io/role/internal-elb=1`,
 *   the tags the AWS Load Balancer Controller uses to pick subnets.
 * - No subnet assigns public addresses on launch; the default security group is closed; flow logs are on.
 * - An S3 gateway endpoint (free) keeps image-layer pulls from ECR off the NAT gateways.
 */
export class PlatformVpc extends Construct {
  /**
   * The interface endpoints that container workloads need when they have no route to the internet:
   * image pulls (ECR api and dkr), logs, STS, node registration and the load balancer controller (EC2,
   * ELB, Auto Scaling, EKS, EKS Auth for Pod Identity), ECS agents, secrets, parameters, KMS, ECS Exec (SSM messages),
   * and Lambda, which the EKS kubectl handler's provider framework calls from inside the VPC.
   */
  public static readonly CONTAINER_ENDPOINTS: ec2.InterfaceVpcEndpointAwsService[] = [
    ec2.InterfaceVpcEndpointAwsService.ECR,
    ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
    ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    ec2.InterfaceVpcEndpointAwsService.STS,
    ec2.InterfaceVpcEndpointAwsService.EC2,
    ec2.InterfaceVpcEndpointAwsService.ELASTIC_LOAD_BALANCING,
    ec2.InterfaceVpcEndpointAwsService.AUTOSCALING,
    ec2.InterfaceVpcEndpointAwsService.EKS,
    ec2.InterfaceVpcEndpointAwsService.EKS_AUTH,
    ec2.InterfaceVpcEndpointAwsService.ECS,
    ec2.InterfaceVpcEndpointAwsService.ECS_AGENT,
    ec2.InterfaceVpcEndpointAwsService.ECS_TELEMETRY,
    ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
    ec2.InterfaceVpcEndpointAwsService.SSM,
    ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES,
    ec2.InterfaceVpcEndpointAwsService.KMS,
    ec2.InterfaceVpcEndpointAwsService.LAMBDA,
  ];

  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The layout the VPC was built with. */
  public readonly layout: VpcLayout;
  /** The subnets workloads (tasks, nodes, pods) run in: private when the layout has them, else public. */
  public readonly workloadSubnets: ec2.SubnetSelection;
  /** The flow log, unless `flowLogs` is false. */
  public readonly flowLog?: ec2.FlowLog;
  /** The flow log group, unless `flowLogs` is false. */
  public readonly flowLogGroup?: logs.LogGroup;
  /** The role that delivers flow logs, unless `flowLogs` is false. */
  public readonly flowLogRole?: iam.Role;
  /** The key created for the flow log group, when `flowLogKey` was not given. */
  public readonly flowLogKey?: kms.Key;
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The security group of the interface endpoints, when there are any. */
  public readonly endpointSecurityGroup?: ec2.SecurityGroup;
  /** The interface endpoints, in the order given. */
  public readonly interfaceEndpoints: ec2.InterfaceVpcEndpoint[];

  constructor(scope: Construct, id: string, props: PlatformVpcProps = {}) {
    super(scope, id);
    const layout = props.layout ?? VpcLayout.PUBLIC_AND_PRIVATE;
    this.layout = layout;
    const natGateways = props.natGateways ?? (layout === VpcLayout.PUBLIC_AND_PRIVATE ? NatGateways.ONE_PER_AZ : NatGateways.NONE);
    if (layout !== VpcLayout.PUBLIC_AND_PRIVATE && natGateways !== NatGateways.NONE) {
      throw new Error(`natGateways: the ${layout} layout has no private subnets behind a public one to hold NAT gateways, got NatGateways.${natGateways}; omit natGateways or use VpcLayout.PUBLIC_AND_PRIVATE`);
    }
    const azs = resolveAvailabilityZones(props.azCount, props.availabilityZones, Stack.of(this).region);
    validateLogRetention('flowLogRetention', props.flowLogRetention);
    const cidr = props.cidr ?? DEFAULT_CIDR;
    const prefix = validateCidr(cidr);

    const workloadMask = prefix === undefined ? undefined : prefix + WORKLOAD_SUBNET_EXTRA_BITS;
    const edgeMask = prefix === undefined ? undefined : prefix + EDGE_SUBNET_EXTRA_BITS;
    const privateType = natGateways === NatGateways.NONE ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS;
    const subnets: ec2.SubnetConfiguration[] = [];
    if (layout !== VpcLayout.PRIVATE_ONLY) {
      subnets.push({
        name: 'Public',
        subnetType: ec2.SubnetType.PUBLIC,
        cidrMask: layout === VpcLayout.PUBLIC_ONLY ? workloadMask : edgeMask,
        // Addresses are given per interface (ECS assignPublicIp, node launch templates), never by the subnet.
        mapPublicIpOnLaunch: false,
      });
    }
    if (layout !== VpcLayout.PUBLIC_ONLY) {
      subnets.push({ name: 'Private', subnetType: privateType, cidrMask: workloadMask });
    }

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      availabilityZones: azs,
      subnetConfiguration: subnets,
      natGateways: natGateways === NatGateways.NONE ? 0 : natGateways === NatGateways.SINGLE ? 1 : azs.length,
      // aws-cdk-lib closes the default security group with a singleton handler per stack. It needs no
      // acknowledgement: aws-cdk-lib writes its function and role as plain CfnResources, which no rule of
      // the four packs reads (the rules match the L1 classes CfnFunction and CfnRole).
      restrictDefaultSecurityGroup: true,
    });

    tagSubnets(this.vpc.publicSubnets, 'kubernetes.io/role/elb');
    tagSubnets([...this.vpc.privateSubnets, ...this.vpc.isolatedSubnets], 'kubernetes.io/role/internal-elb');

    this.workloadSubnets = layout === VpcLayout.PUBLIC_ONLY
      ? { subnetType: ec2.SubnetType.PUBLIC }
      : { subnetType: privateType };

    if (layout === VpcLayout.PUBLIC_AND_PRIVATE) {
      for (const subnet of this.vpc.publicSubnets) {
        // Public subnets route 0.0.0.0/0 to the internet gateway by design: they hold the NAT gateways
        // and internet-facing load balancers. Workloads run in the private subnets.
        Compliance.acknowledgeAcrossPacks(subnet, 'VPCNoUnrestrictedRouteToIGW',
          'a public subnet routes to the internet gateway by definition; the library places only NAT gateways and internet-facing load balancers in the public subnets of the PUBLIC_AND_PRIVATE layout; use VpcLayout.PRIVATE_ONLY for a VPC without an internet route');
      }
    }

    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3 });

    const workloadsHaveNoNat = layout === VpcLayout.PRIVATE_ONLY || (layout === VpcLayout.PUBLIC_AND_PRIVATE && natGateways === NatGateways.NONE);
    const endpoints = props.interfaceEndpoints ?? (workloadsHaveNoNat ? PlatformVpc.CONTAINER_ENDPOINTS : []);
    const endpointNames = endpoints.map((e) => e.shortName);
    const repeated = endpointNames.find((n, i) => endpointNames.indexOf(n) !== i);
    if (repeated !== undefined) {
      // Caught here: the second endpoint's construct id would clash, in an error that names no prop.
      throw new Error(`interfaceEndpoints: each service may appear once, got ${repeated} twice; list each endpoint service once`);
    }
    if (endpoints.length > 0) {
      // One group for all endpoints, admitting HTTPS from the VPC's literal range: cheaper to read than
      // sixteen groups, and cdk-nag can evaluate a literal CIDR where it cannot evaluate Fn::GetAtt.
      this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
        vpc: this.vpc,
        description: 'HTTPS from inside the VPC to its interface endpoints',
        allowAllOutbound: false,
      });
      this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(443), 'HTTPS from the VPC');
    }
    this.interfaceEndpoints = endpoints.map((service) =>
      this.vpc.addInterfaceEndpoint(endpointId(service), {
        service,
        subnets: this.workloadSubnets,
        privateDnsEnabled: true,
        securityGroups: this.endpointSecurityGroup ? [this.endpointSecurityGroup] : undefined,
        open: false,
      }),
    );

    if (props.flowLogs ?? true) {
      if (props.flowLogKey === undefined) {
        this.flowLogKey = new LogEncryptionKey(this, 'FlowLogKey', { description: `Encrypts the VPC flow logs of ${this.node.path}` });
      }
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogGroup', {
        retention: props.flowLogRetention ?? DEFAULT_FLOW_LOG_RETENTION,
        encryptionKey: props.flowLogKey ?? this.flowLogKey,
        removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
      });
      // A customer-managed policy rather than the inline one the FlowLog L2 would write (HIPAA, NIST and
      // PCI flag inline policies); the role is then closed to further grants.
      this.flowLogRole = new iam.Role(this, 'FlowLogRole', {
        assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com'),
        description: 'Delivers VPC flow logs to CloudWatch Logs',
      });
      this.flowLogRole.addManagedPolicy(new iam.ManagedPolicy(this, 'FlowLogPolicy', {
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          resources: [this.flowLogGroup.logGroupArn],
        })],
      }));
      this.flowLog = new ec2.FlowLog(this, 'FlowLog', {
        resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup, this.flowLogRole.withoutPolicyUpdates()),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
    }
    // With flowLogs: false, AwsSolutions-VPC7 stays visible: that is the user's choice, and the audit should say so.
  }
}

/** Tags subnets for the AWS Load Balancer Controller's subnet discovery. */
function tagSubnets(subnets: ec2.ISubnet[], key: string): void {
  for (const subnet of subnets) {
    (subnet.node.defaultChild as ec2.CfnSubnet).tags.setTag(key, '1');
  }
}

/**
 * An availability zone name is its region's name and a letter (us-east-1a); Local Zones add a location
 * (us-west-2-lax-1a). A region's prefix has 2 letters, or 4 in the European Sovereign Cloud (eusc-de-east-1a).
 * Zone IDs (use1-az1) are a different, account-independent naming.
 */
const ZONE_NAME = /^([a-z]{2,4}(?:-[a-z]+)+-\d+)(?:-[a-z]+-\d+)?[a-z]$/;
const ZONE_ID = /^[a-z]{2,4}\d+-(?:[a-z]+\d+-)?az\d+$/;

function resolveAvailabilityZones(azCount: number | undefined, names: string[] | undefined, stackRegion: string): string[] {
  if (azCount !== undefined && Token.isUnresolved(azCount)) {
    throw new Error('azCount: the number of zones must be known at synth to lay out subnets, got a token; pass 2 or 3');
  }
  if (azCount !== undefined && (!Number.isInteger(azCount) || azCount < 2 || azCount > 3)) {
    throw new Error(`azCount: a container platform VPC spans 2 or 3 availability zones, got ${azCount}; use 2 (lower cost) or 3 (survives a zone with a majority left)`);
  }
  if (names !== undefined) {
    if (names.length < 2 || names.length > 3) {
      throw new Error(`availabilityZones: give 2 or 3 zone names, got ${names.length} (${names.join(', ')}); EKS needs subnets in at least 2 zones`);
    }
    if (new Set(names).size !== names.length) {
      throw new Error(`availabilityZones: zone names must be distinct, got ${names.join(', ')}; list each zone once`);
    }
    const regions = new Set<string>();
    for (const name of names) {
      if (Token.isUnresolved(name)) {
        continue;
      }
      if (ZONE_ID.test(name)) {
        throw new Error(`availabilityZones: '${name}' is a zone ID, and a VPC subnet takes a zone name, got ${names.join(', ')}; use the names your account maps these IDs to, e.g. 'us-east-1a' (aws ec2 describe-availability-zones)`);
      }
      const m = ZONE_NAME.exec(name);
      if (!m) {
        throw new Error(`availabilityZones: '${name}' is not an availability zone name, got ${names.join(', ')}; use names such as 'us-east-1a'`);
      }
      regions.add(m[1]);
    }
    if (regions.size > 1) {
      throw new Error(`availabilityZones: a VPC lives in one region, got zones of ${[...regions].join(' and ')} (${names.join(', ')}); name zones of one region only`);
    }
    const zoneRegion = [...regions][0];
    if (zoneRegion !== undefined && !Token.isUnresolved(stackRegion) && zoneRegion !== stackRegion) {
      throw new Error(`availabilityZones: the stack deploys to ${stackRegion}, got zones of ${zoneRegion} (${names.join(', ')}); name zones of ${stackRegion} or deploy the stack to ${zoneRegion}`);
    }
    if (azCount !== undefined && azCount !== names.length) {
      throw new Error(`azCount and availabilityZones: the count must match the zones named, got azCount ${azCount} with ${names.length} zones (${names.join(', ')}); omit azCount when naming the zones`);
    }
    return names;
  }
  // Deploy-time selection: Fn::GetAZs never triggers a context lookup, so synth works without credentials.
  const count = azCount ?? DEFAULT_AZ_COUNT;
  return Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
}

/** Returns the prefix length of a valid VPC CIDR, or undefined for a token. */
function validateCidr(cidr: string): number | undefined {
  if (Token.isUnresolved(cidr)) {
    throw new Error('cidr: the VPC range must be known at synth to lay out subnets, got a token; pass a literal such as \'10.0.0.0/16\'');
  }
  const parsed = parseIpv4Cidr(cidr);
  if (parsed === undefined) {
    throw new Error(`cidr: not an IPv4 CIDR block, got '${cidr}'; use the form '10.0.0.0/16'`);
  }
  const { octets, prefix } = parsed;
  if (prefix < MIN_VPC_PREFIX || prefix > MAX_VPC_PREFIX) {
    throw new Error(`cidr: the prefix must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX} so that every load balancer subnet gets at least a /27, got '${cidr}'; use a larger block such as '10.0.0.0/16'`);
  }
  const address = ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
  const hostBits = 32 - prefix;
  if (address % 2 ** hostBits !== 0) {
    throw new Error(`cidr: the block has host bits set, got '${cidr}'; use the network address of the block (e.g. '10.0.0.0/16')`);
  }
  return prefix;
}

/** A stable construct id per endpoint service, e.g. `EcrDockerEndpoint`. */
function endpointId(service: ec2.InterfaceVpcEndpointAwsService): string {
  const shortName = service.shortName;
  return shortName.split(/[.-]/).map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('') + 'Endpoint';
}
