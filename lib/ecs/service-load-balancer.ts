import { Annotations, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { parseIpv4Cidr } from '../network/ipv4-cidr';
import { FirewallType, ServiceFirewall } from './service-firewall';
import { createWebAcl } from './web-acl';
import { addServiceRoute, checkRulePriority } from './service-route';
import { validateLoadBalancerSubnets } from './validate-service-props';

/** TLS 1.3 with TLS 1.2 fallback (the post-quantum variant under the project's feature flag). */
const DEFAULT_SSL_POLICY = elbv2.SslPolicy.RECOMMENDED_TLS;
/** One year of access logs (PCI DSS 10.7), as for flow logs. */
const DEFAULT_ACCESS_LOG_RETENTION = Duration.days(365);
/** Superseded versions of log objects only exist after an overwrite; a month is enough to notice one. */
const NONCURRENT_LOG_VERSION_EXPIRY = Duration.days(30);
const HTTP_PORT = 80;
const HTTPS_PORT = 443;

/** How an Application Load Balancer for services is built. */
export interface ServiceLoadBalancerOptions {
  /**
   * Reachable from the internet (in public subnets) or only from inside the VPC.
   * @default true
   */
  readonly internetFacing?: boolean;

  /**
   * The subnets of the load balancer.
   * @default - the public subnets when internet-facing, else the private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * The ACM certificate of the HTTPS listener. With it, port 80 only redirects to HTTPS.
   * @default - no certificate: one plain HTTP listener, which the compliance packs report
   */
  readonly certificate?: acm.ICertificate;

  /**
   * The protocol of the listener that serves traffic: HTTPS needs `certificate`, HTTP must not have one.
   * @default - HTTPS when `certificate` is given, else HTTP
   */
  readonly protocol?: elbv2.ApplicationProtocol;

  /**
   * The TLS policy of the HTTPS listener; policies that accept TLS 1.0 or 1.1 are rejected.
   * @default elbv2.SslPolicy.RECOMMENDED_TLS
   */
  readonly sslPolicy?: elbv2.SslPolicy;

  /**
   * Client address ranges (IPv4 CIDR) admitted to the listeners.
   * @default - '0.0.0.0/0' when internet-facing, else the VPC's range
   */
  readonly allowedClientCidrs?: string[];

  /**
   * Stop the load balancer from being deleted (also by CloudFormation: turn it off before deleting the stack).
   * @default true
   */
  readonly deletionProtection?: boolean;

  /**
   * The bucket that receives access logs. ELB writes only to SSE-S3 (AES256) buckets in the same region.
   * @default - a bucket is created: SSE-S3, SSL only, versioned, no public access, retained on stack deletion
   */
  readonly accessLogBucket?: s3.IBucket;

  /**
   * How long access logs are kept in the bucket the load balancer creates.
   * @default Duration.days(365)
   */
  readonly accessLogRetention?: Duration;

  /**
   * The AWS WAF web ACL in front of the load balancer.
   * @default ServiceFirewall.managedRules()
   */
  readonly firewall?: ServiceFirewall;
}

/** Props of {@link ServiceLoadBalancer}. */
export interface ServiceLoadBalancerProps extends ServiceLoadBalancerOptions {
  /** The VPC of the load balancer and of the services behind it. */
  readonly vpc: ec2.IVpc;
}

/** One route from the listener to a service: its conditions, priority and target groups. */
export interface ServiceRouteOptions {
  /** The rule priority, unique on this load balancer (1-50000; lower is evaluated first). */
  readonly priority: number;
  /**
   * Path patterns, each starting with '/' or a wildcard, e.g. `['/api/*']` or `['*.png']`.
   * @default - '/*' unless `hostHeaders` is given
   */
  readonly pathPatterns?: string[];
  /**
   * Host names, e.g. `['api.example.com']`.
   * @default - any host
   */
  readonly hostHeaders?: string[];
  /** The target group that receives the traffic. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  /**
   * A second target group for ECS blue/green, canary and linear deployments; it starts at weight 0.
   * @default - none
   */
  readonly alternateTargetGroup?: elbv2.IApplicationTargetGroup;
}

/**
 * An Application Load Balancer that several services share by path or host rules: a listener whose
 * default action answers 404, HTTPS with a modern TLS policy and an HTTP redirect (when given a
 * certificate), access logs to a retained SSE-S3 bucket, invalid header fields dropped, deletion
 * protection, and an AWS WAF web ACL with AWS managed rules and logging.
 */
export class ServiceLoadBalancer extends Construct {
  /** The load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The listener services attach to: HTTPS on 443, or HTTP on 80 without a certificate. */
  public readonly listener: elbv2.ApplicationListener;
  /** The port-80 listener that redirects to HTTPS, when there is a certificate. */
  public readonly redirectListener?: elbv2.ApplicationListener;
  /** The load balancer's security group. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The access-log bucket, when created here. */
  public readonly accessLogBucket?: s3.Bucket;
  /** The web ACL, when created here. */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** The WAF log group, when the web ACL is created here. */
  public readonly webAclLogGroup?: logs.LogGroup;
  /** The key of the WAF log group, when the web ACL is created here. */
  public readonly webAclLogKey?: LogEncryptionKey;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The protocol of `listener`. */
  public readonly protocol: elbv2.ApplicationProtocol;

  private readonly routes = new Map<number, string>();

  constructor(scope: Construct, id: string, props: ServiceLoadBalancerProps) {
    super(scope, id);
    this.vpc = props.vpc;
    const internetFacing = props.internetFacing ?? true;
    this.protocol = resolveProtocol(props.protocol, props.certificate);
    const sslPolicy = props.sslPolicy ?? DEFAULT_SSL_POLICY;
    if (props.sslPolicy !== undefined && !/-1-[23]-/.test(props.sslPolicy)) {
      throw new Error(`sslPolicy: the policy accepts TLS versions older than 1.2, got ${props.sslPolicy}; use elbv2.SslPolicy.RECOMMENDED_TLS or TLS13_RES`);
    }
    if (props.sslPolicy !== undefined && this.protocol === elbv2.ApplicationProtocol.HTTP) {
      throw new Error(`sslPolicy: a plain HTTP listener has no TLS, got sslPolicy ${props.sslPolicy} without a certificate; pass certificate, or drop sslPolicy`);
    }
    const cidrs = props.allowedClientCidrs ?? (internetFacing ? ['0.0.0.0/0'] : [this.vpcRange(props.vpc)]);
    validateCidrs(cidrs);
    validateLoadBalancerSubnets(props.vpc, internetFacing, props.vpcSubnets);

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Clients to the load balancer ${this.node.path}`,
      // Egress is opened per target by the listener rules, to the services' security groups only.
      allowAllOutbound: false,
    });
    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing,
      vpcSubnets: props.vpcSubnets ?? (internetFacing ? { subnetType: ec2.SubnetType.PUBLIC } : undefined),
      securityGroup: this.securityGroup,
      deletionProtection: props.deletionProtection ?? true,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.DEFENSIVE,
    });
    // deletionProtection: false leaves the NIST finding visible: that is the caller's decision.

    const ports = this.protocol === elbv2.ApplicationProtocol.HTTPS ? [HTTPS_PORT, HTTP_PORT] : [HTTP_PORT];
    for (const cidr of cidrs) {
      for (const port of ports) {
        const source = props.allowedClientCidrs === undefined && !internetFacing ? 'the VPC' : cidr;
        this.securityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `${port === HTTP_PORT && ports.length > 1 ? 'HTTP redirect' : 'Clients'} from ${source}`);
      }
    }
    if (props.allowedClientCidrs === undefined && internetFacing) {
      // The web ACL is named only when there is one (firewall: ServiceFirewall.none() attaches none).
      const waf = props.firewall?.type === FirewallType.NONE ? '' : ', and the WAF web ACL filters requests';
      Compliance.acknowledge(this.securityGroup, 'AwsSolutions-EC23', `An internet-facing load balancer admits any client address by design; set allowedClientCidrs to narrow it${waf}`);
    }

    const notFound = elbv2.ListenerAction.fixedResponse(404, { contentType: 'text/plain', messageBody: 'Not found' });
    if (this.protocol === elbv2.ApplicationProtocol.HTTPS) {
      this.listener = this.loadBalancer.addListener('Https', {
        port: HTTPS_PORT,
        protocol: elbv2.ApplicationProtocol.HTTPS,
        certificates: [props.certificate!],
        sslPolicy,
        open: false,
        defaultAction: notFound,
      });
      this.redirectListener = this.loadBalancer.addListener('HttpRedirect', {
        port: HTTP_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: `${HTTPS_PORT}`, permanent: true }),
      });
      const why = 'This port-80 listener only answers with a permanent redirect to the HTTPS listener, which carries the ACM certificate (certificate); it never serves content';
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321']) {
        Compliance.acknowledge(this.redirectListener, `${pack}-ELBv2ACMCertificateRequired`, why);
      }
    } else {
      // Plain HTTP is the caller's choice (no certificate): the packs' HTTPS findings stay visible.
      this.listener = this.loadBalancer.addListener('Http', {
        port: HTTP_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: notFound,
      });
    }

    // Set by attribute, not logAccessLogs(): that needs a concrete region, and these stacks are environment-agnostic.
    if (!props.accessLogBucket) {
      this.accessLogBucket = this.createAccessLogBucket(props.accessLogRetention ?? DEFAULT_ACCESS_LOG_RETENTION);
    }
    const logBucket = props.accessLogBucket ?? this.accessLogBucket!;
    this.loadBalancer.setAttribute('access_logs.s3.enabled', 'true');
    this.loadBalancer.setAttribute('access_logs.s3.bucket', logBucket.bucketName);

    const firewall = props.firewall ?? ServiceFirewall.managedRules();
    if (firewall.type === FirewallType.EXISTING) {
      new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: this.loadBalancer.loadBalancerArn, webAclArn: firewall.webAclArn! });
    } else if (firewall.type === FirewallType.MANAGED_RULES) {
      const created = createWebAcl(this, this.loadBalancer, firewall);
      this.webAcl = created.webAcl;
      this.webAclLogGroup = created.logGroup;
      this.webAclLogKey = created.key;
    }
  }

  /**
   * Route requests that match `pathPatterns` / `hostHeaders` to a service's target group, with a
   * priority that must be unique on this load balancer. The rule is created in `scope` (the service).
   */
  public addRoute(scope: Construct, id: string, options: ServiceRouteOptions): elbv2.ApplicationListenerRule {
    const priority = options.priority;
    checkRulePriority(priority);
    if (!Token.isUnresolved(priority)) {
      const owner = this.routes.get(priority);
      if (owner !== undefined) {
        throw new Error(`priority: ${priority} is already used on ${this.node.path} by ${owner}, got it again for ${scope.node.path}; give each service on a shared load balancer its own priority`);
      }
      this.routes.set(priority, scope.node.path);
    }
    return addServiceRoute(scope, id, this.listener, options);
  }

  /**
   * The VPC's IPv4 range as a literal where the app defines it (an ec2.Vpc's CIDR is a property of its
   * CfnVPC, while `vpcCidrBlock` is a deploy-time attribute): the compliance packs cannot judge an ingress
   * rule whose source is only known at deploy time, and report it.
   */
  private vpcRange(vpc: ec2.IVpc): string {
    if (!Token.isUnresolved(vpc.vpcCidrBlock)) {
      return vpc.vpcCidrBlock;
    }
    const cfnVpc = vpc.node.defaultChild;
    if (cfnVpc instanceof ec2.CfnVPC && typeof cfnVpc.cidrBlock === 'string' && !Token.isUnresolved(cfnVpc.cidrBlock)) {
      return cfnVpc.cidrBlock;
    }
    Annotations.of(this).addWarningV2('cdk-container-platform:vpcRangeUnknown', `allowedClientCidrs: the range of ${vpc.node.path} is only known at deploy time, so the listener's ingress rules cannot be audited at synth and the packs report them, got no allowedClientCidrs for an internal load balancer; pass allowedClientCidrs with the ranges of your clients`);
    return vpc.vpcCidrBlock;
  }

  private createAccessLogBucket(retention: Duration): s3.Bucket {
    const days = retention.toDays({ integral: false });
    if (!Token.isUnresolved(days) && (days < 1 || !Number.isInteger(days))) {
      throw new Error(`accessLogRetention: S3 expires objects after a whole number of days, at least one, got ${retention.toHumanString()}; e.g. Duration.days(365)`);
    }
    const bucket = new s3.Bucket(this, 'AccessLogBucket', {
      // Elastic Load Balancing delivers access logs only to buckets encrypted with SSE-S3.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // RETAIN even when a first create rolls back: ELB writes a test object as soon as logging is on, and
      // CloudFormation cannot delete a bucket that is not empty (the rollback would fail). Its name is
      // generated, so a retry creates a new bucket.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: retention, noncurrentVersionExpiration: NONCURRENT_LOG_VERSION_EXPIRY }],
    });
    // The Elastic Load Balancing log delivery service principal, which ELB supports in every Region since
    // 2025-09-10 (before, Regions older than August 2022 needed their regional ELB account); this keeps the
    // stack environment-agnostic, where aws-cdk-lib's logAccessLogs needs a concrete region.
    // ELB checks that it may write when logging is switched on.
    const policy = bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'ElbAccessLogDelivery',
      principals: [new iam.ServicePrincipal('logdelivery.elasticloadbalancing.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${Stack.of(this).account}/*`)],
    }));
    if (policy.policyDependable) {
      this.loadBalancer.node.addDependency(policy.policyDependable);
    }
    const why = 'This bucket receives the load balancer\'s access logs';
    Compliance.acknowledgeAll(bucket, [
      { ruleId: 'AwsSolutions-S1', reason: `${why}; logging access to it would need yet another log bucket. Pass accessLogBucket to use a central logging bucket instead` },
      { ruleId: 'NIST.800.53.R5-S3BucketLoggingEnabled', reason: `${why}; logging access to it would need yet another log bucket. Pass accessLogBucket to use a central logging bucket instead` },
      { ruleId: 'PCI.DSS.321-S3BucketLoggingEnabled', reason: `${why}; logging access to it would need yet another log bucket. Pass accessLogBucket to use a central logging bucket instead` },
      { ruleId: 'HIPAA.Security-S3BucketLoggingEnabled', reason: `${why}; logging access to it would need yet another log bucket. Pass accessLogBucket to use a central logging bucket instead` },
      { ruleId: 'NIST.800.53.R5-S3DefaultEncryptionKMS', reason: 'Elastic Load Balancing access logs support only SSE-S3 (AES256) buckets, not SSE-KMS' },
      { ruleId: 'PCI.DSS.321-S3DefaultEncryptionKMS', reason: 'Elastic Load Balancing access logs support only SSE-S3 (AES256) buckets, not SSE-KMS' },
      { ruleId: 'HIPAA.Security-S3DefaultEncryptionKMS', reason: 'Elastic Load Balancing access logs support only SSE-S3 (AES256) buckets, not SSE-KMS' },
      { ruleId: 'NIST.800.53.R5-S3BucketReplicationEnabled', reason: `${why}, which are kept for accessLogRetention and versioned; cross-region replication is an account-level logging decision: pass accessLogBucket to use a replicated central bucket` },
      { ruleId: 'PCI.DSS.321-S3BucketReplicationEnabled', reason: `${why}, which are kept for accessLogRetention and versioned; cross-region replication is an account-level logging decision: pass accessLogBucket to use a replicated central bucket` },
      { ruleId: 'HIPAA.Security-S3BucketReplicationEnabled', reason: `${why}, which are kept for accessLogRetention and versioned; cross-region replication is an account-level logging decision: pass accessLogBucket to use a replicated central bucket` },
    ]);
    return bucket;
  }
}

function resolveProtocol(protocol: elbv2.ApplicationProtocol | undefined, certificate: acm.ICertificate | undefined): elbv2.ApplicationProtocol {
  if (protocol === elbv2.ApplicationProtocol.HTTP && certificate) {
    throw new Error('protocol and certificate: a certificate needs an HTTPS listener, got protocol HTTP with a certificate; drop protocol (HTTPS is chosen) or drop certificate');
  }
  if (protocol === elbv2.ApplicationProtocol.HTTPS && !certificate) {
    throw new Error('protocol: an HTTPS listener needs a certificate, got protocol HTTPS without certificate; pass certificate (an acm.ICertificate)');
  }
  return protocol ?? (certificate ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP);
}

function validateCidrs(cidrs: string[]): void {
  if (cidrs.length === 0) {
    throw new Error('allowedClientCidrs: an empty list admits no client, got []; list at least one range, e.g. \'203.0.113.0/24\'');
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) {
      continue;
    }
    if (parseIpv4Cidr(cidr) === undefined) {
      throw new Error(`allowedClientCidrs: not an IPv4 CIDR block, got '${cidr}'; use the form '203.0.113.0/24'`);
    }
  }
}
