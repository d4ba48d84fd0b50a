import { Annotations, AspectPriority, Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cloudmap from 'aws-cdk-lib/aws-servicediscovery';
import { Construct } from 'constructs';
import { Compliance } from '../compliance/acknowledge';
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { PlatformVpc } from '../network/platform-vpc';
import { ContainerRepository } from '../registry/container-repository';
import { createEc2Capacity } from './ec2-capacity';
import { LoadBalancedServiceProps } from './load-balanced-service-props';
import { findingArn } from '../compliance/finding-arn';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { ComputeType, ServiceCompute } from './service-compute';
import { ServiceDeployment } from './service-deployment';
import { ImageSource } from './service-image';
import { ServiceLoadBalancer } from './service-load-balancer';
import { validateServicePlacement, validateServiceProps } from './validate-service-props';

/** 8080: a non-root user cannot bind ports below 1024. */
const DEFAULT_CONTAINER_PORT = 8080;
/** A uid that is not root and exists in no base image by accident of meaning (nginx-unprivileged uses 101). */
const DEFAULT_USER = '1000';
/** Listener rule priority of a service that gives none. */
const DEFAULT_PRIORITY = 100;
/** Two tasks: one per zone of a two-zone minimum. */
const DEFAULT_MIN_TASKS = 2;
const DEFAULT_MAX_TASKS = 10;
/** Scale out before CPU saturates, in without flapping (AWS's ECS target tracking guidance). */
const DEFAULT_CPU_TARGET_PERCENT = 70;
const DEFAULT_MEMORY_TARGET_PERCENT = 80;
const DEFAULT_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
const DEFAULT_HEALTH_CHECK_PATH = '/';
/** 2xx and 3xx: a redirect to a login page is a live application. */
const DEFAULT_HEALTH_CHECK_CODES = '200-399';
const DEFAULT_HEALTH_CHECK_INTERVAL = Duration.seconds(30);
/** Two passes make a target healthy: deployments move on within a minute. */
const DEFAULT_HEALTHY_THRESHOLD = 2;
const DEFAULT_UNHEALTHY_THRESHOLD = 3;
const DEFAULT_GRACE_PERIOD = Duration.seconds(60);
/** ALB's default of 300 s makes every deployment wait five minutes; web requests finish well within 30 s. */
const DEFAULT_DEREGISTRATION_DELAY = Duration.seconds(30);
/** DAEMON deployments: ECS requires a maximum of 100%, and half the instances keep serving. */
const DAEMON_MIN_HEALTHY_PERCENT = 50;
const DAEMON_MAX_HEALTHY_PERCENT = 100;
/** Default rollback alarms: more than this many target 5XX responses per minute, two minutes in a row. */
const TARGET_5XX_THRESHOLD = 5;
/** The name of the container and of its port mapping (Service Connect refers to it). */
const CONTAINER_NAME = 'app';
const PORT_MAPPING_NAME = 'http';
/**
 * After every aspect of DEFAULT priority or lower: ecs.Cluster creates its capacity-provider association
 * in an aspect of MUTATING priority (DEFAULT without the aspectPrioritiesMutating feature flag).
 */
const ASSOCIATION_DEPENDENCY_PRIORITY = AspectPriority.DEFAULT + 1;

/**
 * A load-balanced ECS service on Fargate or EC2, chosen by one prop, with the parts exposed.
 *
 * It creates what it is not given: a PlatformVpc, a cluster with Container Insights (enhanced), an ECR
 * repository (`ServiceImage.fromNewRepository`), a ServiceLoadBalancer with WAF and access logs. Tasks
 * run as a non-root user on a read-only root filesystem, log to a KMS-encrypted log group, and are
 * reachable only from the load balancer. Deployments roll back on a failed circuit breaker or alarm.
 */
export class LoadBalancedService extends Construct {
  /** The ECS service (an `ecs.FargateService` or `ecs.Ec2Service`). */
  public readonly service: ecs.BaseService;
  /** The service, when it runs on Fargate. */
  public readonly fargateService?: ecs.FargateService;
  /** The service, when it runs on EC2. */
  public readonly ec2Service?: ecs.Ec2Service;
  /** The task definition. */
  public readonly taskDefinition: ecs.TaskDefinition;
  /** The application container. */
  public readonly container: ecs.ContainerDefinition;
  /** The role the application assumes: no permissions until you grant some. */
  public readonly taskRole: iam.Role;
  /** The role ECS uses to pull the image, read secrets and write logs. */
  public readonly executionRole: iam.Role;
  /** The container log group. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the log groups, when created here. */
  public readonly logKey?: LogEncryptionKey;
  /** The ECS Exec session log group, when `enableExecuteCommand` is set and the cluster is created here. */
  public readonly execLogGroup?: logs.LogGroup;
  /** The cluster. */
  public readonly cluster: ecs.ICluster;
  /** The VPC. */
  public readonly vpc: ec2.IVpc;
  /** The PlatformVpc, when neither `cluster` nor `vpc` was given. */
  public readonly network?: PlatformVpc;
  /** The ECR repository, when the image comes from `ServiceImage.fromNewRepository`. */
  public readonly repository?: ecr.Repository;
  /** The load balancer the service is attached to (its own or the shared one). */
  public readonly loadBalancer: ServiceLoadBalancer;
  /** The listener the service's rule is on. */
  public readonly listener: elbv2.ApplicationListener;
  /** The listener rule that routes to the service. */
  public readonly listenerRule: elbv2.ApplicationListenerRule;
  /** The (blue) target group. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The green target group of blue/green, canary and linear deployments. */
  public readonly alternateTargetGroup?: elbv2.ApplicationTargetGroup;
  /** The role ECS uses to shift listener traffic in blue/green, canary and linear deployments. */
  public readonly loadBalancerRole?: iam.Role;
  /** The tasks' security group: it admits only the load balancer. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** Task count auto scaling (REPLICA services). */
  public readonly scaling?: ecs.ScalableTaskCount;
  /** The alarms that roll a deployment back. */
  public readonly deploymentAlarms: cloudwatch.IAlarm[];
  /** The Auto Scaling group of EC2 compute. */
  public readonly autoScalingGroup?: autoscaling.AutoScalingGroup;
  /** The capacity provider of EC2 compute. */
  public readonly capacityProvider?: ecs.AsgCapacityProvider;
  /** The launch template of EC2 compute's instances (IMDSv2 required, encrypted volumes). */
  public readonly launchTemplate?: ec2.LaunchTemplate;
  /** The container instances' role of EC2 compute. */
  public readonly instanceRole?: iam.Role;
  /** The compute choice, with every default filled in. */
  public readonly compute: ServiceCompute;
  /** The deployment choice, with every default filled in. */
  public readonly deployment: ServiceDeployment;

  constructor(scope: Construct, id: string, props: LoadBalancedServiceProps) {
    super(scope, id);
    const compute = props.compute ?? ServiceCompute.fargate();
    const deployment = props.deployment ?? ServiceDeployment.rolling();
    this.compute = compute;
    this.deployment = deployment;
    const daemon = compute.daemon;
    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    const minTasks = props.minTasks ?? DEFAULT_MIN_TASKS;
    const maxTasks = props.maxTasks ?? DEFAULT_MAX_TASKS;
    validateServiceProps(this, props, compute, deployment, { containerPort, minTasks, maxTasks });

    // Network and cluster
    if (props.cluster) {
      this.vpc = props.cluster.vpc;
    } else if (props.vpc) {
      this.vpc = props.vpc;
    } else {
      this.network = new PlatformVpc(this, 'Network');
      this.vpc = this.network.vpc;
    }
    validateServicePlacement(props, compute, this.vpc);
    if (props.logEncryptionKey === undefined) {
      this.logKey = new LogEncryptionKey(this, 'LogKey', { description: `Encrypts the logs of ${this.node.path}` });
    }
    const logKey: kms.IKey = props.logEncryptionKey ?? this.logKey!;
    const logRetention = props.logRetention ?? DEFAULT_LOG_RETENTION;
    if (props.cluster) {
      this.cluster = props.cluster;
      if (props.enableExecuteCommand) {
        Annotations.of(this).addWarningV2('cdk-container-platform:execOnExistingCluster', `enableExecuteCommand: session encryption and logging are settings of the cluster, which this service did not create, got cluster ${props.cluster.node.path}; check that the cluster sets executeCommandConfiguration with a KMS key and a log group`);
      }
    } else {
      if (props.enableExecuteCommand) {
        this.execLogGroup = new logs.LogGroup(this, 'ExecLogGroup', { retention: logRetention, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
      }
      this.cluster = new ecs.Cluster(this, 'Cluster', {
        vpc: this.vpc,
        containerInsightsV2: ecs.ContainerInsights.ENHANCED,
        executeCommandConfiguration: this.execLogGroup ? {
          kmsKey: logKey,
          logging: ecs.ExecuteCommandLogging.OVERRIDE,
          logConfiguration: { cloudWatchLogGroup: this.execLogGroup, cloudWatchEncryptionEnabled: true },
        } : undefined,
      });
    }
    const cluster = this.cluster;
    const ownCluster = cluster instanceof ecs.Cluster ? cluster : undefined;

    // Roles: grants land in customer-managed policies (no inline policies for NIST, HIPAA, PCI).
    this.executionRole = new ManagedPolicyRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Pulls the image, reads secrets and writes logs for ${this.node.path}`,
    });
    this.taskRole = new ManagedPolicyRole(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `The application role of ${this.node.path}`,
    });

    // Task definition and container
    if (compute.type === ComputeType.FARGATE) {
      const f = compute.fargateOptions!;
      this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
        cpu: f.cpu,
        memoryLimitMiB: f.memoryLimitMiB,
        runtimePlatform: { cpuArchitecture: f.cpuArchitecture, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
        executionRole: this.executionRole,
        taskRole: this.taskRole,
      });
    } else {
      // awsvpc on EC2 too: every task gets its own security group that admits only the load balancer.
      this.taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
        networkMode: ecs.NetworkMode.AWS_VPC,
        executionRole: this.executionRole,
        taskRole: this.taskRole,
      });
    }
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logRetention, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const image = props.image;
    let containerImage: ecs.ContainerImage;
    if (image.source === ImageSource.NEW_REPOSITORY) {
      this.repository = new ContainerRepository(this, 'Repository', image.repositoryProps);
      containerImage = ecs.ContainerImage.fromEcrRepository(this.repository, image.tagOrDigest);
    } else if (image.source === ImageSource.REPOSITORY) {
      containerImage = ecs.ContainerImage.fromEcrRepository(image.repository!, image.tagOrDigest);
    } else {
      containerImage = image.containerImage!;
    }
    const readonlyRoot = props.readonlyRootFilesystem ?? true;
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: CONTAINER_NAME,
      image: containerImage,
      portMappings: [{ containerPort, name: PORT_MAPPING_NAME, appProtocol: ecs.AppProtocol.http }],
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: props.containerHealthCheck,
      readonlyRootFilesystem: readonlyRoot,
      user: props.user ?? DEFAULT_USER,
      privileged: compute.type === ComputeType.EC2 ? false : undefined,
      cpu: compute.ec2Options?.cpu,
      memoryLimitMiB: compute.ec2Options?.memoryLimitMiB,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: CONTAINER_NAME, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    (props.writablePaths ?? []).forEach((containerPath, i) => {
      // A volume without a host path is task-scoped scratch space on Fargate and EC2 alike.
      const sourceVolume = `writable-${i}`;
      this.taskDefinition.addVolume({ name: sourceVolume });
      this.container.addMountPoints({ containerPath, sourceVolume, readOnly: false });
    });
    this.acknowledgeEnvironment(Object.keys(props.environment ?? {}).length > 0, compute.type === ComputeType.EC2);

    // Target groups, load balancer and route
    const healthCheck: elbv2.HealthCheck = {
      path: props.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH,
      healthyHttpCodes: props.healthCheckCodes ?? DEFAULT_HEALTH_CHECK_CODES,
      interval: props.healthCheckInterval ?? DEFAULT_HEALTH_CHECK_INTERVAL,
      healthyThresholdCount: props.healthyThresholdCount ?? DEFAULT_HEALTHY_THRESHOLD,
      unhealthyThresholdCount: props.unhealthyThresholdCount ?? DEFAULT_UNHEALTHY_THRESHOLD,
    };
    const targetGroupProps: elbv2.ApplicationTargetGroupProps = {
      vpc: this.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      healthCheck,
      deregistrationDelay: props.deregistrationDelay ?? DEFAULT_DEREGISTRATION_DELAY,
    };
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', targetGroupProps);
    if (deployment.shiftsTraffic) {
      this.alternateTargetGroup = new elbv2.ApplicationTargetGroup(this, 'AlternateTargetGroup', targetGroupProps);
    }
    this.loadBalancer = props.loadBalancer ?? new ServiceLoadBalancer(this, 'LoadBalancer', { vpc: this.vpc, ...props.loadBalancerOptions });
    this.listener = this.loadBalancer.listener;
    this.listenerRule = this.loadBalancer.addRoute(this, 'ListenerRule', {
      priority: props.priority ?? DEFAULT_PRIORITY,
      pathPatterns: props.pathPatterns,
      hostHeaders: props.hostHeaders,
      targetGroup: this.targetGroup,
      alternateTargetGroup: this.alternateTargetGroup,
    });

    this.deploymentAlarms = [...deployment.alarms];
    if (deployment.defaultAlarms) {
      this.deploymentAlarms.push(...this.createDefaultAlarms());
    }

    // Service
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: `Tasks of ${this.node.path}; admits only its load balancer`,
    });
    const common = {
      cluster,
      taskDefinition: this.taskDefinition,
      serviceName: props.serviceName,
      securityGroups: [this.securityGroup],
      vpcSubnets: props.vpcSubnets,
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? DEFAULT_GRACE_PERIOD,
      circuitBreaker: { enable: true, rollback: true },
      deploymentStrategy: deployment.strategy,
      // A daemon task cannot start beside its predecessor on the same instance: replace half the instances at a time.
      minHealthyPercent: daemon ? DAEMON_MIN_HEALTHY_PERCENT : deployment.minHealthyPercent,
      maxHealthyPercent: daemon ? DAEMON_MAX_HEALTHY_PERCENT : deployment.maxHealthyPercent,
      bakeTime: deployment.bakeTime,
      canaryConfiguration: deployment.strategy === ecs.DeploymentStrategy.CANARY ? { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepBakeTime } : undefined,
      linearConfiguration: deployment.strategy === ecs.DeploymentStrategy.LINEAR ? { stepPercent: deployment.stepPercent, stepBakeTime: deployment.stepBakeTime } : undefined,
      deploymentAlarms: this.deploymentAlarms.length > 0
        ? { alarmNames: this.deploymentAlarms.map((a) => a.alarmName), behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM }
        : undefined,
      enableExecuteCommand: props.enableExecuteCommand,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    };
    if (compute.type === ComputeType.FARGATE) {
      const f = compute.fargateOptions!;
      if (f.spot) {
        ownCluster?.enableFargateCapacityProviders();
      }
      this.fargateService = new ecs.FargateService(this, 'Service', {
        ...common,
        desiredCount: props.desiredCount ?? minTasks,
        platformVersion: f.platformVersion,
        assignPublicIp: false,
        capacityProviderStrategies: f.spot ? [
          { capacityProvider: 'FARGATE', base: f.onDemandBase, weight: 1 },
          { capacityProvider: 'FARGATE_SPOT', weight: f.spotWeight },
        ] : undefined,
      });
      this.service = this.fargateService;
      if (f.spot && ownCluster) {
        dependOnCapacityProviderAssociation(this.fargateService, ownCluster);
      }
    } else {
      const e = compute.ec2Options!;
      if (!ownCluster) {
        throw new Error(`cluster: EC2 compute adds an Auto Scaling group capacity provider to its cluster, got an imported cluster (${cluster.node.path}); pass an ecs.Cluster defined in this app, or omit cluster`);
      }
      if (Stack.of(ownCluster) !== Stack.of(this)) {
        // The cluster's one capacity-provider association would name this stack's provider while this stack
        // refers to the cluster: each stack would depend on the other.
        throw new Error(`cluster: EC2 compute adds its capacity provider to the cluster's capacity-provider association, which lives in the cluster's stack, got a cluster of stack ${Stack.of(ownCluster).stackName} for a service in stack ${Stack.of(this).stackName}; define the service in the cluster's stack, or use Fargate compute`);
      }
      const capacity = createEc2Capacity(this, ownCluster, props.vpcSubnets, e);
      this.autoScalingGroup = capacity.autoScalingGroup;
      this.capacityProvider = capacity.capacityProvider;
      this.instanceRole = capacity.instanceRole;
      this.launchTemplate = capacity.launchTemplate;
      this.ec2Service = new ecs.Ec2Service(this, 'Service', {
        ...common,
        daemon,
        desiredCount: daemon ? undefined : props.desiredCount ?? minTasks,
        placementStrategies: daemon ? undefined : e.placementStrategies,
        placementConstraints: e.placementConstraints,
        // DAEMON services take no capacity provider strategy: they run on every instance of the cluster.
        capacityProviderStrategies: daemon ? undefined : [{ capacityProvider: capacity.capacityProvider.capacityProviderName, weight: 1 }],
      });
      // Deleted before its instances, so tasks stop cleanly instead of dying with the hosts.
      this.ec2Service.node.addDependency(capacity.autoScalingGroup);
      this.service = this.ec2Service;
      if (!daemon) {
        dependOnCapacityProviderAssociation(this.ec2Service, ownCluster);
      }
    }

    // Attach to the load balancer; traffic-shifting deployments name the green group and the rule ECS rewrites.
    if (this.alternateTargetGroup) {
      this.loadBalancerRole = this.createLoadBalancerRole(this.alternateTargetGroup);
    }
    this.service.loadBalancerTarget({
      containerName: CONTAINER_NAME,
      containerPort,
      alternateTarget: this.alternateTargetGroup ? new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup: this.alternateTargetGroup,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(this.listenerRule),
        role: this.loadBalancerRole,
      }) : undefined,
    }).attachToApplicationTargetGroup(this.targetGroup);

    // Scaling
    if (!daemon) {
      this.scaling = this.service.autoScaleTaskCount({ minCapacity: minTasks, maxCapacity: maxTasks });
      this.scaling.scaleOnCpuUtilization('CpuScaling', { targetUtilizationPercent: props.cpuTargetPercent ?? DEFAULT_CPU_TARGET_PERCENT });
      this.scaling.scaleOnMemoryUtilization('MemoryScaling', { targetUtilizationPercent: props.memoryTargetPercent ?? DEFAULT_MEMORY_TARGET_PERCENT });
      if (props.requestsPerTarget !== undefined) {
        this.scaling.scaleOnRequestCount('RequestScaling', { requestsPerTarget: props.requestsPerTarget, targetGroup: this.targetGroup });
      }
      for (const action of props.scheduledScaling ?? []) {
        this.scaling.scaleOnSchedule(action.id, { schedule: action.schedule, minCapacity: action.minTasks, maxCapacity: action.maxTasks });
      }
    }

    // Service Connect
    if (props.serviceConnect) {
      const sc = props.serviceConnect;
      if (ownCluster && ownCluster.defaultCloudMapNamespace === undefined && !sc.namespace.startsWith('arn:')) {
        // An HTTP namespace is all Service Connect needs: no Route 53 hosted zone.
        ownCluster.addDefaultCloudMapNamespace({ name: sc.namespace, useForServiceConnect: true, type: cloudmap.NamespaceType.HTTP });
      }
      this.service.enableServiceConnect({
        namespace: sc.namespace,
        services: [{ portMappingName: PORT_MAPPING_NAME, discoveryName: sc.discoveryName, dnsName: sc.dnsName, port: containerPort }],
        logDriver: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'service-connect', mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
      });
    }

    this.acknowledgeWildcardGrants(props.enableExecuteCommand ?? false);
  }

  /**
   * The role ECS assumes to shift traffic in blue/green, canary and linear deployments. Its policy holds the
   * actions of the AWS managed AmazonECSInfrastructureRolePolicyForLoadBalancers (v6, edited 2026-02-12,
   * AWS Managed Policy Reference), limited to this service's listener, listener rule and target groups
   * instead of every load balancer of the account.
   */
  private createLoadBalancerRole(alternateTargetGroup: elbv2.ApplicationTargetGroup): iam.Role {
    const role = new ManagedPolicyRole(this, 'LoadBalancerRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      description: `Lets ECS shift listener traffic between the target groups of ${this.node.path}`,
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ShiftTraffic',
      actions: ['elasticloadbalancing:ModifyListener'],
      resources: [this.listener.listenerArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RewriteRule',
      actions: ['elasticloadbalancing:ModifyRule'],
      resources: [this.listenerRule.listenerRuleArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'RegisterTargets',
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [this.targetGroup.targetGroupArn, alternateTargetGroup.targetGroupArn],
    }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      sid: 'ReadLoadBalancing',
      actions: [
        'elasticloadbalancing:DescribeListeners',
        'elasticloadbalancing:DescribeRules',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
      ],
      resources: ['*'],
    }));
    Compliance.acknowledge(role.grantsPolicy!, 'AwsSolutions-IAM5[Resource::*]', 'The Elastic Load Balancing Describe actions ECS reads listeners, rules and target health with have no resource-level permissions; every action that changes anything is limited to this service\'s listener, rule and target groups');
    return role;
  }

  /**
   * AwsSolutions-ECS2 reports any plain environment variable. Acknowledged only for what the service
   * puts there: the caller's `environment` (secret-looking names are rejected at synth) and AWS_REGION,
   * which aws-cdk-lib's Ec2TaskDefinition adds to every container of an awsvpc task definition. That one
   * is needed: the container instances block instance metadata for awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS),
   * so an AWS SDK in the container cannot read the region from there (aws-cdk pull request 28437).
   */
  private acknowledgeEnvironment(userEnvironment: boolean, onEc2: boolean): void {
    const reasons: string[] = [];
    if (userEnvironment) {
      reasons.push('environment holds only non-secret settings: names that look like secrets (PASSWORD, SECRET, TOKEN, API_KEY, ...) are rejected at synth and belong in secrets, which ECS injects from Secrets Manager or SSM');
    }
    if (onEc2) {
      reasons.push('AWS_REGION, the stack\'s region, is set by aws-cdk-lib on awsvpc containers on EC2: the container instances block instance metadata for awsvpc tasks (ECS_AWSVPC_BLOCK_IMDS), so AWS SDKs in the container read the region from this variable; it is not a secret');
    }
    if (reasons.length > 0) {
      Compliance.acknowledge(this.taskDefinition, 'AwsSolutions-ECS2', reasons.join('; '));
    }
  }

  /** 5XX responses of the targets and unhealthy targets, per target group: ECS rolls back on either. */
  private createDefaultAlarms(): cloudwatch.Alarm[] {
    const alarms: cloudwatch.Alarm[] = [];
    const groups: Array<[string, elbv2.ApplicationTargetGroup]> = [['', this.targetGroup]];
    if (this.alternateTargetGroup) {
      groups.push(['Alternate', this.alternateTargetGroup]);
    }
    for (const [prefix, group] of groups) {
      alarms.push(new cloudwatch.Alarm(this, `${prefix}Target5xxAlarm`, {
        alarmDescription: `Target 5XX responses of ${group.node.path}; rolls back ECS deployments`,
        metric: group.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: TARGET_5XX_THRESHOLD,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
      alarms.push(new cloudwatch.Alarm(this, `${prefix}UnhealthyTargetsAlarm`, {
        alarmDescription: `Unhealthy targets of ${group.node.path}; rolls back ECS deployments`,
        metric: group.metrics.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' }),
        threshold: 1,
        evaluationPeriods: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }));
    }
    for (const alarm of alarms) {
      for (const pack of ['NIST.800.53.R5', 'HIPAA.Security']) {
        Compliance.acknowledge(alarm, `${pack}-CloudWatchAlarmAction`, 'ECS reads this alarm\'s state during deployments and rolls back on ALARM (deployment); it notifies nobody by design. Add actions with alarm.addAlarmAction or pass your own alarms in the deployment options');
      }
    }
    return alarms;
  }

  /**
   * The only `Resource: *` grants the service writes are for actions without resource-level
   * permissions; anything else stays visible.
   */
  private acknowledgeWildcardGrants(exec: boolean): void {
    const executionPolicy = (this.executionRole as ManagedPolicyRole).grantsPolicy;
    if (executionPolicy && hasWildcardAction(executionPolicy, 'ecr:GetAuthorizationToken')) {
      Compliance.acknowledge(executionPolicy, 'AwsSolutions-IAM5[Resource::*]', 'ecr:GetAuthorizationToken has no resource-level permission; image pulls themselves are limited to the repository');
    }
    const taskPolicy = (this.taskRole as ManagedPolicyRole).grantsPolicy;
    if (exec && taskPolicy) {
      Compliance.acknowledge(taskPolicy, 'AwsSolutions-IAM5[Resource::*]', 'ECS Exec (enableExecuteCommand) opens ssmmessages channels and describes log groups; those actions have no resource-level permissions');
      if (this.execLogGroup) {
        const logGroupId = Stack.of(this).getLogicalId(this.execLogGroup.node.defaultChild as logs.CfnLogGroup);
        Compliance.acknowledge(taskPolicy, `AwsSolutions-IAM5[Resource::${findingArn(this, 'logs', `log-group:<${logGroupId}>:*`)}]`,
          'ECS Exec (enableExecuteCommand) writes session logs to new log streams of this one log group; stream names are chosen per session, so the grant names the group\'s streams with a wildcard');
      }
    }
  }
}

/**
 * A service whose capacity provider strategy names a provider must be created after the cluster's
 * `AWS::ECS::ClusterCapacityProviderAssociations` (CreateService fails while the provider is not yet
 * associated) and deleted before it (the association cannot drop a provider that a service still uses).
 * The service refers to the provider by name only, so CloudFormation sees no order on its own.
 * ecs.Cluster creates that association late, in an aspect, as its child of the cluster's own id; the
 * dependency is added once it exists. For a cluster of another stack it becomes a dependency of this
 * stack on the cluster's stack, the direction the service's references already point.
 */
function dependOnCapacityProviderAssociation(service: ecs.BaseService, cluster: ecs.Cluster): void {
  Aspects.of(service).add({
    visit: (node) => {
      if (node !== service) {
        return;
      }
      const association = cluster.node.tryFindChild(cluster.node.id);
      if (association instanceof ecs.CfnClusterCapacityProviderAssociations) {
        // The AWS::ECS::Service only: its scaling target and policies need no such order.
        (service.node.defaultChild as ecs.CfnService).node.addDependency(association);
      }
    },
  }, { priority: ASSOCIATION_DEPENDENCY_PRIORITY });
}

function hasWildcardAction(policy: iam.ManagedPolicy, action: string): boolean {
  const doc = Stack.of(policy).resolve(policy.document.toJSON()) as { Statement?: Array<{ Action?: string | string[]; Resource?: string | string[] }> } | undefined;
  return (doc?.Statement ?? []).some((s) => {
    const actions = ([] as string[]).concat(s.Action ?? []);
    const resources = ([] as string[]).concat(s.Resource ?? []);
    return actions.includes(action) && resources.includes('*');
  });
}
