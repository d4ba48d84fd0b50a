import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { newStack } from '../../helpers';
import { findingsOf, platformFindings } from '../platform-findings';

const PINNED_IMAGE = 'public.ecr.aws/nginx/nginx:1.27.0';

/** A Fargate task with one container `web` that passes every task rule, changed by `options`. */
function taskWith(options: Partial<ecs.ContainerDefinitionOptions> = {}): { stack: Stack; task: ecs.FargateTaskDefinition } {
  const stack = newStack();
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry(PINNED_IMAGE),
    user: '1000:1000',
    readonlyRootFilesystem: true,
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
    ...options,
  });
  return { stack, task };
}

describe('a hardened task definition', () => {
  test('passes every ContainerPlatform task rule', () => {
    expect(platformFindings(taskWith().stack).filter((f) => f.includes('Test/Task/'))).toEqual([]);
  });
});

describe('ContainerPlatform-ECS1 (no privileged container)', () => {
  test('flags the privileged container by name', () => {
    const { stack } = taskWith({ privileged: true });
    expect(findingsOf(stack, 'ContainerPlatform-ECS1')).toEqual(['ContainerPlatform-ECS1[Container::web] Test/Task/Resource']);
  });

  test('passes a container that is not privileged', () => {
    expect(findingsOf(taskWith({ privileged: false }).stack, 'ContainerPlatform-ECS1')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS2 (non-root user)', () => {
  test('flags a container that does not name its user', () => {
    expect(findingsOf(taskWith({ user: undefined }).stack, 'ContainerPlatform-ECS2')).toEqual(['ContainerPlatform-ECS2[Container::web] Test/Task/Resource']);
  });

  test.each(['root', '0', '0:0', 'root:app'])('flags a container running as %s', (user) => {
    expect(findingsOf(taskWith({ user }).stack, 'ContainerPlatform-ECS2')).toEqual(['ContainerPlatform-ECS2[Container::web] Test/Task/Resource']);
  });

  test.each(['1000', '1000:1000', 'app', 'nginx:nginx'])('passes a container running as %s', (user) => {
    expect(findingsOf(taskWith({ user }).stack, 'ContainerPlatform-ECS2')).toEqual([]);
  });

  test('flags only the sidecar that runs as root, so it can be acknowledged alone', () => {
    const { stack, task } = taskWith();
    task.addContainer('proxy', { image: ecs.ContainerImage.fromRegistry(PINNED_IMAGE), readonlyRootFilesystem: true, logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'proxy' }) });
    expect(findingsOf(stack, 'ContainerPlatform-ECS2')).toEqual(['ContainerPlatform-ECS2[Container::proxy] Test/Task/Resource']);
  });
});

describe('ContainerPlatform-ECS3 (read-only root filesystem)', () => {
  test('flags a container with a writable root filesystem', () => {
    expect(findingsOf(taskWith({ readonlyRootFilesystem: false }).stack, 'ContainerPlatform-ECS3')).toEqual(['ContainerPlatform-ECS3[Container::web] Test/Task/Resource']);
  });

  test('passes a container with a read-only root filesystem', () => {
    expect(findingsOf(taskWith({ readonlyRootFilesystem: true }).stack, 'ContainerPlatform-ECS3')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS4 (logging configured)', () => {
  test('flags a container without a log driver', () => {
    expect(findingsOf(taskWith({ logging: undefined }).stack, 'ContainerPlatform-ECS4')).toEqual(['ContainerPlatform-ECS4[Container::web] Test/Task/Resource']);
  });

  test('passes a container that logs through FireLens', () => {
    expect(findingsOf(taskWith({ logging: ecs.LogDrivers.firelens({}) }).stack, 'ContainerPlatform-ECS4')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS5 (pinned image)', () => {
  test.each([
    ['no tag', 'public.ecr.aws/nginx/nginx'],
    ['the latest tag', 'public.ecr.aws/nginx/nginx:latest'],
    ['a registry port but no tag', 'localhost:5000/web'],
  ])('flags an image with %s', (_, image) => {
    expect(findingsOf(taskWith({ image: ecs.ContainerImage.fromRegistry(image) }).stack, 'ContainerPlatform-ECS5'))
      .toEqual(['ContainerPlatform-ECS5[Container::web] Test/Task/Resource']);
  });

  test.each([
    ['an explicit tag', 'public.ecr.aws/nginx/nginx:1.27.0'],
    ['a digest', `public.ecr.aws/nginx/nginx@sha256:${'a'.repeat(64)}`],
    ['a registry port and a tag', 'localhost:5000/web:2.1'],
  ])('passes an image with %s', (_, image) => {
    expect(findingsOf(taskWith({ image: ecs.ContainerImage.fromRegistry(image) }).stack, 'ContainerPlatform-ECS5')).toEqual([]);
  });

  test('flags an ECR image that falls back to the latest tag, and passes one with a version tag', () => {
    const { stack, task } = taskWith();
    const repo = new ecr.Repository(stack, 'Repo');
    task.addContainer('latest', { image: ecs.ContainerImage.fromEcrRepository(repo) });
    task.addContainer('pinned', { image: ecs.ContainerImage.fromEcrRepository(repo, '1.4.2') });
    expect(findingsOf(stack, 'ContainerPlatform-ECS5')).toEqual(['ContainerPlatform-ECS5[Container::latest] Test/Task/Resource']);
  });

  test('flags a tag only known at deploy time, a parameter without default', () => {
    const { stack, task } = taskWith();
    const tag = new CfnParameter(stack, 'Tag');
    task.addContainer('param', { image: ecs.ContainerImage.fromEcrRepository(new ecr.Repository(stack, 'Repo'), tag.valueAsString) });
    expect(findingsOf(stack, 'ContainerPlatform-ECS5')).toEqual(['ContainerPlatform-ECS5[Container::param] Test/Task/Resource']);
  });

  test('judges the default of a tag parameter', () => {
    const { stack, task } = taskWith();
    const repo = new ecr.Repository(stack, 'Repo');
    task.addContainer('pinned', { image: ecs.ContainerImage.fromEcrRepository(repo, new CfnParameter(stack, 'Pinned', { default: '1.4.2' }).valueAsString) });
    task.addContainer('moving', { image: ecs.ContainerImage.fromEcrRepository(repo, new CfnParameter(stack, 'Moving', { default: 'latest' }).valueAsString) });
    expect(findingsOf(stack, 'ContainerPlatform-ECS5')).toEqual(['ContainerPlatform-ECS5[Container::moving] Test/Task/Resource']);
  });
});

describe('ContainerPlatform-ECS6 (no plain-text secrets)', () => {
  test('flags each secret-looking variable by container and name', () => {
    const { stack } = taskWith({ environment: { DB_PASSWORD: 'hunter2', STRIPE_API_KEY: 'sk', GITHUB_TOKEN: 'ghp', LOG_LEVEL: 'info' } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([
      'ContainerPlatform-ECS6[Container::web::DB_PASSWORD] Test/Task/Resource',
      'ContainerPlatform-ECS6[Container::web::GITHUB_TOKEN] Test/Task/Resource',
      'ContainerPlatform-ECS6[Container::web::STRIPE_API_KEY] Test/Task/Resource',
    ]);
  });

  test('passes secrets injected from Secrets Manager and variables that only point at a secret', () => {
    const { stack } = taskWith({ environment: { DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db', TOKEN_URL: 'https://idp/token' } });
    const secret = new secretsmanager.Secret(stack, 'Secret');
    (stack.node.findChild('Task') as ecs.FargateTaskDefinition).defaultContainer!.addSecret('DB_PASSWORD', ecs.Secret.fromSecretsManager(secret));
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([]);
  });
});

describe('rules that read properties', () => {
  test('see escape-hatch overrides that the L1 attributes do not show', () => {
    const { stack, task } = taskWith();
    (task.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride('ContainerDefinitions.0.Privileged', true);
    expect(findingsOf(stack, 'ContainerPlatform-ECS1')).toEqual(['ContainerPlatform-ECS1[Container::web] Test/Task/Resource']);
  });
});
