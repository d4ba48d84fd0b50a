import { Annotations, Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import { LogEncryptionKey } from '../compliance/log-encryption-key';
import { ManagedPolicyRole } from '../compliance/managed-policy-role';
import { PlatformVpc } from '../network/platform-vpc';
import { CommonServiceProps, createServiceCluster } from './compute-binding';
import { LoadBalancedServiceProps } from './load-balanced-service-props';
import { acknowledgeEnvironment, acknowledgeWildcardGrants, createDefaultAlarms, createLoadBalancerRole } from './service-compliance';
import { ServiceCompute } from './service-compute';
import { ServiceDeployment } from './service-deployment';
import { ServiceLoadBalancer } from './service-load-balancer';
import { addServiceRoute, serviceTargetGroupProps } from './service-route';
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
const DEFAULT_GRACE_PERIOD = Duration.seconds(60);
/** DAEMON deployments: ECS requires a maximum of 100%, and half the instances keep serving. */
const DAEMON_MIN_HEALTHY_PERCENT = 50;
const DAEMON_MAX_HEALTHY_PERCENT = 100;
/** The name of the container and of its port mapping (Service Connect refers to it). */
const CONTAINER_NAME = 'app';
const PORT_MAPPING_NAME = 'http';

/**
 * A load-balanced ECS service on Fargate, EC2 or a cluster's capacity providers, chosen by one prop, with the parts exposed.
 *
 * It creates what it is not given: a PlatformVpc, a cluster with Container Insights (enhanced), an ECR
 * repository (`ServiceImage.fromNewRepository`), a ServiceLoadBalancer with WAF and access logs. Tasks
 * run as a non-root user on a read-only root filesystem, log to a KMS-encrypted log group, and are
 * reachable only from the load balancer. Deployments roll back on a failed circuit breaker or alarm.
 * Its listener rule, target groups and security-group rules live in its own stack, so it can join a
 * cluster, load balancer and key of a platform stack without making that stack depend on its own.
 */
export class LoadBalancedService extends Construct implements ec2.IConnectable, iam.IGrantable {
  /** The ECS service (an `ecs.FargateService` or `ecs.Ec2Service`). */
  public readonly service: ecs.BaseService;
  /** The service, when it runs on Fargate or Managed Instances (an `ecs.FargateService` with a capacity provider strategy). */
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
  /** The load balancer the service is attached to (its own or the shared one), unless it was given only a `listener`. */
  public readonly loadBalancer?: ServiceLoadBalancer;
  /** The listener the service's rule is on. */
  public readonly listener: elbv2.IApplicationListener;
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
  /** The Auto Scaling group of EC2 compute of the service's own (`ServiceCompute.ec2`). */
  public readonly autoScalingGroup?: autoscaling.AutoScalingGroup;
  /** The capacity provider of EC2 compute of the service's own. */
  public readonly capacityProvider?: ecs.AsgCapacityProvider;
  /** The launch template of EC2 compute's instances (IMDSv2 required, encrypted volumes). */
  public readonly launchTemplate?: ec2.LaunchTemplate;
  /** The container instances' role of EC2 compute of the service's own. */
  public readonly instanceRole?: iam.Role;
  /** The compute choice, with every default filled in. */
  public readonly compute: ServiceCompute;
  /** The deployment choice, with every default filled in. */
  public readonly deployment: ServiceDeployment;
  /** The tasks' network connections: allow other clients with `service.connections.allowFrom(...)`. */
  public readonly connections: ec2.Connections;
  /** The task role: `bucket.grantRead(service)` grants the application. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: LoadBalancedServiceProps) {
    super(scope, id);
    const compute = props.compute ?? ServiceCompute.fargate();
    const deployment = props.deployment ?? ServiceDeployment.rolling();
    this.compute = compute;
    this.deployment = deployment;
    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    const minTasks = props.minTasks ?? DEFAULT_MIN_TASKS;
    const maxTasks = props.maxTasks ?? DEFAULT_MAX_TASKS;
    validateServiceProps(this, props, compute, deployment, { containerPort, minTasks, maxTasks });

    // Network and cluster: a shared capacity brings its cluster.
    const givenCluster = props.cluster ?? compute._capacityCluster();
    if (givenCluster) {
      this.vpc = givenCluster.vpc;
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
    if (givenCluster) {
      this.cluster = givenCluster;
    } else {
      const created = createServiceCluster(this, this.vpc, logKey, logRetention, props.enableExecuteCommand ?? false);
      this.cluster = created.cluster;
      this.execLogGroup = created.execLogGroup;
    }
    if (givenCluster && props.enableExecuteCommand) {
      Annotations.of(this).addWarningV2('cdk-container-platform:execOnExistingCluster', `enableExecuteCommand: session encryption and logging are settings of the cluster, which this service did not create, got cluster ${givenCluster.node.path}; check that the cluster sets executeCommandConfiguration with a KMS key and a log group (ContainerCluster does)`);
    }

    // Roles: grants land in customer-managed policies (no inline policies for NIST, HIPAA, PCI).
    this.executionRole = new ManagedPolicyRole(this, 'ExecutionRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Pulls the image, reads secrets and writes logs for ${this.node.path}`,
    });
    this.taskRole = new ManagedPolicyRole(this, 'TaskRole', {
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `The application role of ${this.node.path}`,
    });
    this.grantPrincipal = this.taskRole;

    // Task definition and container: the compute and image choices create their parts.
    const binding = compute._bind(this, { cluster: this.cluster, vpcSubnets: props.vpcSubnets, executionRole: this.executionRole, taskRole: this.taskRole });
    const daemon = binding.daemon;
    this.taskDefinition = binding.taskDefinition;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logRetention, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE });
    const image = props.image._bind(this);
    this.repository = image.repository;
    this.container = this.taskDefinition.addContainer('Container', {
      containerName: CONTAINER_NAME,
      image: image.image,
      portMappings: [{ containerPort, name: PORT_MAPPING_NAME, appProtocol: ecs.AppProtocol.http }],
      environment: props.environment,
      secrets: props.secrets,
      healthCheck: props.containerHealthCheck,
      readonlyRootFilesystem: props.readonlyRootFilesystem ?? true,
      user: props.user ?? DEFAULT_USER,
      privileged: binding.privileged,
      cpu: binding.containerCpu,
      memoryLimitMiB: binding.containerMemoryLimitMiB,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: CONTAINER_NAME, mode: ecs.AwsLogDriverMode.NON_BLOCKING }),
    });
    (props.writablePaths ?? []).forEach((containerPath, i) => {
      // A volume without a host path is task-scoped scratch space on Fargate and EC2 alike.
      const sourceVolume = `writable-${i}`;
      this.taskDefinition.addVolume({ name: sourceVolume });
      this.container.addMountPoints({ containerPath, sourceVolume, readOnly: false });
    });
    acknowledgeEnvironment(this.taskDefinition, Object.keys(props.environment ?? {}).length > 0, binding.addsRegionVariable);

    // Target groups, listener and route, all in this construct's stack.
    const targetGroupProps = serviceTargetGroupProps(this.vpc, containerPort, props);
    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'TargetGroup', targetGroupProps);
    if (deployment.shiftsTraffic) {
      this.alternateTargetGroup = new elbv2.ApplicationTargetGroup(this, 'AlternateTargetGroup', targetGroupProps);
    }
    if (!props.listener) {
      this.loadBalancer = props.loadBalancer ?? new ServiceLoadBalancer(this, 'LoadBalancer', { vpc: this.vpc, ...props.loadBalancerOptions });
    }
    this.listener = props.listener ?? this.loadBalancer!.listener;
    const route = {
      priority: props.priority ?? DEFAULT_PRIORITY,
      pathPatterns: props.pathPatterns,
      hostHeaders: props.hostHeaders,
      targetGroup: this.targetGroup,
      alternateTargetGroup: this.alternateTargetGroup,
    };
    this.listenerRule = this.loadBalancer ? this.loadBalancer.addRoute(this, 'ListenerRule', route) : addServiceRoute(this, 'ListenerRule', this.listener, route);

    this.deploymentAlarms = [...deployment.alarms];
    if (deployment.defaultAlarms) {
      const groups: Array<[string, elbv2.ApplicationTargetGroup]> = [['', this.targetGroup]];
      if (this.alternateTargetGroup) {
        groups.push(['Alternate', this.alternateTargetGroup]);
      }
      this.deploymentAlarms.push(...createDefaultAlarms(this, groups));
    }

    // Service
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: this.vpc,
      description: `Tasks of ${this.node.path}; admits only its load balancer`,
    });
    const common: CommonServiceProps = {
      cluster: this.cluster,
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
    const bound = binding.createService(this, common, daemon ? undefined : props.desiredCount ?? minTasks);
    this.service = bound.service;
    this.fargateService = bound.fargateService;
    this.ec2Service = bound.ec2Service;
    this.autoScalingGroup = bound.capacity?.autoScalingGroup;
    this.capacityProvider = bound.capacity?.capacityProvider;
    this.instanceRole = bound.capacity?.instanceRole;
    this.launchTemplate = bound.capacity?.launchTemplate;
    this.connections = this.service.connections;

    // Attach to the load balancer; traffic-shifting deployments name the green group and the rule ECS rewrites.
    if (this.alternateTargetGroup) {
      this.loadBalancerRole = createLoadBalancerRole(this, this.listener, this.listenerRule, [this.targetGroup, this.alternateTargetGroup]);
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

    if (props.serviceConnect) {
      const sc = props.serviceConnect;
      const ownCluster = this.cluster instanceof ecs.Cluster ? this.cluster : undefined;
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

    acknowledgeWildcardGrants(this, this.executionRole, this.taskRole, props.enableExecuteCommand ?? false, this.execLogGroup);
  }

  /** Requests the load balancer routed to this service (target group RequestCount, Sum per 5 minutes by default). */
  public metricRequestCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.requestCount(props) as cloudwatch.Metric;
  }

  /** 5XX responses of the service's tasks (HTTPCode_Target_5XX_Count, Sum). */
  public metricTarget5xxCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, props) as cloudwatch.Metric;
  }

  /** Seconds from the request leaving the load balancer to the task's response (TargetResponseTime, Average). */
  public metricTargetResponseTime(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.targetResponseTime(props) as cloudwatch.Metric;
  }

  /** Targets failing the load balancer's health check (UnHealthyHostCount, Average). */
  public metricUnhealthyTargets(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.targetGroup.metrics.unhealthyHostCount(props) as cloudwatch.Metric;
  }

  /** The service's CPU utilization in percent of its tasks' reservation (AWS/ECS CPUUtilization, Average). */
  public metricCpuUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricCpuUtilization(props);
  }

  /** The service's memory utilization in percent of its tasks' reservation (AWS/ECS MemoryUtilization, Average). */
  public metricMemoryUtilization(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.service.metricMemoryUtilization(props);
  }

  /** Tasks in the RUNNING state (ECS/ContainerInsights RunningTaskCount, Average): needs Container Insights on the cluster. */
  public metricRunningTaskCount(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'ECS/ContainerInsights',
      metricName: 'RunningTaskCount',
      dimensionsMap: { ClusterName: this.cluster.clusterName, ServiceName: this.service.serviceName },
      statistic: cloudwatch.Stats.AVERAGE,
      ...props,
    }).attachTo(this.service);
  }
}
