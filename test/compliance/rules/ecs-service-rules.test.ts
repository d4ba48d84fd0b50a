import { CfnParameter, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { newStack } from '../../helpers';
import { findingsOf } from '../platform-findings';

/** An L1 service with only the properties under test. */
function serviceWith(props: Partial<ecs.CfnServiceProps>) {
  const stack = newStack();
  new ecs.CfnService(stack, 'Service', { taskDefinition: 'web:1', ...props });
  return stack;
}

const ROLLBACK = { deploymentCircuitBreaker: { enable: true, rollback: true } };

describe('ContainerPlatform-ECS7 (rollback or blue/green)', () => {
  test('passes a service whose circuit breaker rolls back', () => {
    expect(findingsOf(serviceWith({ deploymentConfiguration: ROLLBACK }), 'ContainerPlatform-ECS7')).toEqual([]);
  });

  test('flags a service without a circuit breaker', () => {
    expect(findingsOf(serviceWith({}), 'ContainerPlatform-ECS7')).toEqual(['ContainerPlatform-ECS7 Test/Service']);
  });

  test('flags a circuit breaker that stops a deployment without rolling it back', () => {
    expect(findingsOf(serviceWith({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } }), 'ContainerPlatform-ECS7'))
      .toEqual(['ContainerPlatform-ECS7 Test/Service']);
  });

  test('passes CodeDeploy blue/green and the ECS blue/green strategy', () => {
    expect(findingsOf(serviceWith({ deploymentController: { type: 'CODE_DEPLOY' } }), 'ContainerPlatform-ECS7')).toEqual([]);
    expect(findingsOf(serviceWith({ deploymentConfiguration: { strategy: 'BLUE_GREEN' } }), 'ContainerPlatform-ECS7')).toEqual([]);
  });

  test('passes an L2 Fargate service with circuitBreaker rollback, and flags one without', () => {
    const stack = newStack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'p', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('nginx:1.27.0') });
    new ecs.FargateService(stack, 'Safe', { cluster, taskDefinition, circuitBreaker: { enable: true, rollback: true }, minHealthyPercent: 100 });
    new ecs.FargateService(stack, 'Unsafe', { cluster, taskDefinition, minHealthyPercent: 100 });
    expect(findingsOf(stack, 'ContainerPlatform-ECS7')).toEqual(['ContainerPlatform-ECS7 Test/Unsafe/Service']);
  });
});

describe('ContainerPlatform-ECS8 (minimum healthy percent)', () => {
  test('passes a replica service at 100 percent, and one that keeps ECS\'s default of 100', () => {
    expect(findingsOf(serviceWith({ deploymentConfiguration: { minimumHealthyPercent: 100 } }), 'ContainerPlatform-ECS8')).toEqual([]);
    expect(findingsOf(serviceWith({}), 'ContainerPlatform-ECS8')).toEqual([]);
  });

  test('flags a replica service that drops to 50 percent during deployments', () => {
    expect(findingsOf(serviceWith({ deploymentConfiguration: { minimumHealthyPercent: 50 } }), 'ContainerPlatform-ECS8')).toEqual(['ContainerPlatform-ECS8 Test/Service']);
  });

  test('does not judge daemon services, which must stop a task to replace it on each host', () => {
    expect(findingsOf(serviceWith({ schedulingStrategy: 'DAEMON', deploymentConfiguration: { minimumHealthyPercent: 0 } }), 'ContainerPlatform-ECS8')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS7 variants', () => {
  test('flags a circuit breaker that rolls back in one branch only', () => {
    const stack = serviceWith({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: Fn.conditionIf('Safe', true, false) as any } } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS7')).toEqual(['ContainerPlatform-ECS7 Test/Service']);
  });

  test('flags a rollback only known at deploy time, and passes one from a parameter default', () => {
    const unknown = newStack();
    new ecs.CfnService(unknown, 'Service', { taskDefinition: 'web:1', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: new CfnParameter(unknown, 'Rollback').valueAsString as any } } });
    expect(findingsOf(unknown, 'ContainerPlatform-ECS7')).toEqual(['ContainerPlatform-ECS7 Test/Service']);
    const byDefault = newStack();
    new ecs.CfnService(byDefault, 'Service', { taskDefinition: 'web:1', deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: new CfnParameter(byDefault, 'Rollback', { default: 'true' }).valueAsString as any } } });
    expect(findingsOf(byDefault, 'ContainerPlatform-ECS7')).toEqual([]);
  });

  test('passes a controller that is CODE_DEPLOY in every branch', () => {
    expect(findingsOf(serviceWith({ deploymentController: { type: Fn.conditionIf('Prod', 'CODE_DEPLOY', 'CODE_DEPLOY').toString() } }), 'ContainerPlatform-ECS7')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS8 variants', () => {
  test('flags a minimum below 100 in one branch, from a parameter default, and only known at deploy time', () => {
    expect(findingsOf(serviceWith({ deploymentConfiguration: { minimumHealthyPercent: Fn.conditionIf('Dev', 50, 100) as any } }), 'ContainerPlatform-ECS8')).toEqual(['ContainerPlatform-ECS8 Test/Service']);
    const byDefault = newStack();
    new ecs.CfnService(byDefault, 'Service', { taskDefinition: 'web:1', deploymentConfiguration: { minimumHealthyPercent: new CfnParameter(byDefault, 'Min', { type: 'Number', default: 50 }).valueAsNumber } });
    expect(findingsOf(byDefault, 'ContainerPlatform-ECS8')).toEqual(['ContainerPlatform-ECS8 Test/Service']);
    const unknown = newStack();
    new ecs.CfnService(unknown, 'Service', { taskDefinition: 'web:1', deploymentConfiguration: { minimumHealthyPercent: new CfnParameter(unknown, 'Min', { type: 'Number' }).valueAsNumber } });
    expect(findingsOf(unknown, 'ContainerPlatform-ECS8')).toEqual(['ContainerPlatform-ECS8 Test/Service']);
  });

  test('passes 100 from a parameter default', () => {
    const stack = newStack();
    new ecs.CfnService(stack, 'Service', { taskDefinition: 'web:1', deploymentConfiguration: { minimumHealthyPercent: new CfnParameter(stack, 'Min', { type: 'Number', default: 100 }).valueAsNumber } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS8')).toEqual([]);
  });
});
