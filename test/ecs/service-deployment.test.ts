import { Duration } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { ServiceDeployment } from '../../lib';

describe('ServiceDeployment', () => {
  test('rolls by default at 100% minimum healthy without default alarms', () => {
    const d = ServiceDeployment.rolling();
    expect(d).toMatchObject({ strategy: ecs.DeploymentStrategy.ROLLING, minHealthyPercent: 100, maxHealthyPercent: 200, defaultAlarms: false });
    expect(d.shiftsTraffic).toBe(false);
  });

  test('blue/green shifts traffic, bakes ten minutes and creates rollback alarms', () => {
    const d = ServiceDeployment.blueGreen();
    expect(d).toMatchObject({ strategy: ecs.DeploymentStrategy.BLUE_GREEN, defaultAlarms: true, minHealthyPercent: 100 });
    expect(d.bakeTime?.toMinutes()).toBe(10);
    expect(d.shiftsTraffic).toBe(true);
  });

  test('canary sends 10% first and linear moves 20% per step, five minutes apart', () => {
    expect(ServiceDeployment.canary()).toMatchObject({ strategy: ecs.DeploymentStrategy.CANARY, stepPercent: 10 });
    const linear = ServiceDeployment.linear();
    expect(linear).toMatchObject({ strategy: ecs.DeploymentStrategy.LINEAR, stepPercent: 20 });
    expect(linear.stepBakeTime?.toMinutes()).toBe(5);
  });

  test('fails when minHealthyPercent is above 100', () => {
    expect(() => ServiceDeployment.rolling({ minHealthyPercent: 150 })).toThrow(/minHealthyPercent: must be a whole percentage from 0 to 100, got 150/);
  });

  test('fails when maxHealthyPercent is below 100', () => {
    expect(() => ServiceDeployment.rolling({ maxHealthyPercent: 90 })).toThrow(/maxHealthyPercent: must be a whole percentage from 100 to 200, got 90/);
  });

  test('fails when a linear step is below ECS\'s 3%', () => {
    expect(() => ServiceDeployment.linear({ stepPercent: 2 })).toThrow(/stepPercent: ECS takes 3 to 100 in steps of 0.1 here, got 2/);
  });

  test('fails when a canary step is not a multiple of 0.1', () => {
    expect(() => ServiceDeployment.canary({ stepPercent: 5.55 })).toThrow(/stepPercent: ECS takes 0.1 to 100 in steps of 0.1 here, got 5.55/);
  });

  test('fails when the bake time exceeds 24 hours', () => {
    expect(() => ServiceDeployment.blueGreen({ bakeTime: Duration.hours(25) })).toThrow(/bakeTime: ECS takes whole minutes from 0 to 1440/);
  });
});
