import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { Compliance } from '../../compliance/acknowledge';

/** Upstream's retention: a notice of an interruption two minutes away is worthless after five. */
const RETENTION = Duration.seconds(300);

/**
 * The events Karpenter handles, as upstream's cloudformation.yaml (v1.14.1) routes them to its queue:
 * construct id, source and detail type.
 */
const INTERRUPTION_EVENTS: Array<[string, string, string]> = [
  ['ScheduledChangeRule', 'aws.health', 'AWS Health Event'],
  ['SpotInterruptionRule', 'aws.ec2', 'EC2 Spot Instance Interruption Warning'],
  ['RebalanceRule', 'aws.ec2', 'EC2 Instance Rebalance Recommendation'],
  ['InstanceStateChangeRule', 'aws.ec2', 'EC2 Instance State-change Notification'],
  ['CapacityReservationInterruptionRule', 'aws.ec2', 'EC2 Capacity Reservation Instance Interruption Warning'],
];

/**
 * Karpenter's interruption queue: an SQS queue (SQS-managed encryption, TLS enforced) that EventBridge
 * fills with Spot interruption warnings, rebalance recommendations, instance state changes, capacity
 * reservation interruptions and AWS Health events, so the controller drains a node before EC2 takes it.
 */
export class KarpenterInterruptionQueue extends Construct {
  /** The queue (settings.interruptionQueue is its name). */
  public readonly queue: sqs.Queue;
  /** The EventBridge rules that target the queue. */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      retentionPeriod: RETENTION,
      // SQS-managed keys, as upstream: EventBridge can send to such a queue with no key policy to maintain.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Compliance.acknowledge(this.queue, 'AwsSolutions-SQS3',
      'Karpenter\'s interruption queue holds notices that matter for minutes (retention 300 s, as upstream): a message Karpenter cannot handle expires, because a dead-letter queue would only keep stale interruption notices that nothing replays');
    // One statement per rule, allowing events.amazonaws.com with that rule's ARN as source (targets.SqsQueue):
    // narrower than upstream's unconditioned grant to events.amazonaws.com and sqs.amazonaws.com.
    this.rules = INTERRUPTION_EVENTS.map(([ruleId, source, detailType]) => new events.Rule(this, ruleId, {
      description: `Sends ${detailType} events to Karpenter's interruption queue`,
      eventPattern: { source: [source], detailType: [detailType] },
      targets: [new targets.SqsQueue(this.queue)],
    }));
  }
}
