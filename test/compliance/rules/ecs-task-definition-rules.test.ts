import { CfnMapping, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
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

  test.each(['root', '0', '0:0', 'root:app', '+0', '-0', '+00:1000'])('flags a container running as %s', (user) => {
    expect(findingsOf(taskWith({ user }).stack, 'ContainerPlatform-ECS2')).toEqual(['ContainerPlatform-ECS2[Container::web] Test/Task/Resource']);
  });

  test.each(['1000', '1000:1000', 'app', 'nginx:nginx'])('passes a container running as %s', (user) => {
    expect(findingsOf(taskWith({ user }).stack, 'ContainerPlatform-ECS2')).toEqual([]);
  });

  test('flags a user whose user part is only known at deploy time, which may be 0', () => {
    expect(findingsOf(overridden('User', { 'Fn::Sub': '${Uid}:1000' }, (s) => new CfnParameter(s, 'Uid')), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
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

  test('reads an image from a mapping: every region\'s entry is judged when the key is the region', () => {
    const stack = newStack();
    const images = new CfnMapping(stack, 'Images', { mapping: { 'eu-west-1': { web: PINNED_IMAGE }, 'us-east-1': { web: 'nginx:latest' } } });
    new ecs.CfnTaskDefinition(stack, 'Pinned', { containerDefinitions: [{ name: 'web', image: Fn.findInMap(images.logicalId, 'eu-west-1', 'web') }] });
    new ecs.CfnTaskDefinition(stack, 'ByRegion', { containerDefinitions: [{ name: 'web', image: Fn.findInMap(images.logicalId, stack.region, 'web') }] });
    expect(findingsOf(stack, 'ContainerPlatform-ECS5')).toEqual(['ContainerPlatform-ECS5[Container::web] Test/ByRegion']);
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

/** The web container of `taskWith()` with one of its properties overridden in the synthesized template. */
function overridden(property: string, value: unknown, build: (stack: Stack) => void = () => undefined): Stack {
  const { stack, task } = taskWith();
  build(stack);
  (task.node.defaultChild as ecs.CfnTaskDefinition).addPropertyOverride(`ContainerDefinitions.0.${property}`, value);
  return stack;
}

const WEB = (rule: string) => [`ContainerPlatform-${rule}[Container::web] Test/Task/Resource`];

describe('ContainerPlatform-ECS1 variants', () => {
  test.each(['TRUE', 'True', ' true '])('flags Privileged set to %p through an escape hatch', (value) => {
    expect(findingsOf(overridden('Privileged', value), 'ContainerPlatform-ECS1')).toEqual(WEB('ECS1'));
  });

  test.each([
    ['privileged in one branch of Fn::If', 'Privileged', { 'Fn::If': ['Debug', true, false] }],
    ['privileged from a parameter default', 'Privileged', { Ref: 'Priv' }],
    ['privileged only known at deploy time', 'Privileged', { 'Fn::GetAtt': ['Res', 'Flag'] }],
    ['ALL capabilities', 'LinuxParameters.Capabilities.Add', ['ALL']],
    ['SYS_ADMIN spelled cap_sys_admin', 'LinuxParameters.Capabilities.Add', ['cap_sys_admin']],
    ['SYS_PTRACE in one branch', 'LinuxParameters.Capabilities.Add', ['CHOWN', { 'Fn::If': ['Debug', 'SYS_PTRACE', { Ref: 'AWS::NoValue' }] }]],
    ['NET_ADMIN', 'LinuxParameters.Capabilities.Add', ['NET_ADMIN']],
    ['BPF', 'LinuxParameters.Capabilities.Add', ['BPF']],
  ])('flags %s', (_, property, value) => {
    const stack = overridden(property, value, (s) => new CfnParameter(s, 'Priv', { default: 'true' }));
    expect(findingsOf(stack, 'ContainerPlatform-ECS1')).toEqual(WEB('ECS1'));
  });

  test('passes capabilities of the Pod Security Standards Baseline list', () => {
    expect(findingsOf(overridden('LinuxParameters.Capabilities.Add', ['NET_BIND_SERVICE', 'CHOWN', 'KILL']), 'ContainerPlatform-ECS1')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS2 variants', () => {
  test.each(['00', '0:0', 'root:root', '0:root', ' root ', '', ':1000', '000:1000'])('flags a container running as %j', (user) => {
    expect(findingsOf(overridden('User', user), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
  });

  test('flags root in one branch of Fn::If, in a parameter default and in a Fn::Sub', () => {
    expect(findingsOf(overridden('User', { 'Fn::If': ['Debug', 'root', '1000'] }), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
    expect(findingsOf(overridden('User', { Ref: 'User' }, (s) => new CfnParameter(s, 'User', { default: '0' })), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
    expect(findingsOf(overridden('User', { 'Fn::Sub': ['${Uid}:${Uid}', { Uid: '0' }] }), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
  });

  test('flags a user from a parameter without default, and passes a non-root default or group 0', () => {
    expect(findingsOf(overridden('User', { Ref: 'User' }, (s) => new CfnParameter(s, 'User')), 'ContainerPlatform-ECS2')).toEqual(WEB('ECS2'));
    expect(findingsOf(overridden('User', { Ref: 'User' }, (s) => new CfnParameter(s, 'User', { default: '1000' })), 'ContainerPlatform-ECS2')).toEqual([]);
    expect(findingsOf(overridden('User', '1000:0'), 'ContainerPlatform-ECS2')).toEqual([]);
  });

  test('does not judge a user read from SSM at deploy time', () => {
    expect(findingsOf(overridden('User', '{{resolve:ssm:/app/user}}'), 'ContainerPlatform-ECS2')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS3 variants', () => {
  test('flags a writable root filesystem in one branch, or from a parameter without default', () => {
    expect(findingsOf(overridden('ReadonlyRootFilesystem', { 'Fn::If': ['Debug', false, true] }), 'ContainerPlatform-ECS3')).toEqual(WEB('ECS3'));
    expect(findingsOf(overridden('ReadonlyRootFilesystem', { Ref: 'Ro' }, (s) => new CfnParameter(s, 'Ro')), 'ContainerPlatform-ECS3')).toEqual(WEB('ECS3'));
  });

  test('passes a read-only root filesystem from a parameter default', () => {
    expect(findingsOf(overridden('ReadonlyRootFilesystem', { Ref: 'Ro' }, (s) => new CfnParameter(s, 'Ro', { default: 'true' })), 'ContainerPlatform-ECS3')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS4 variants', () => {
  test.each(['json-file', 'local', 'journald', 'none', 'syslog'])('flags the %s driver, which keeps logs on the host or drops them', (driver) => {
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: driver }), 'ContainerPlatform-ECS4')).toEqual(WEB('ECS4'));
  });

  test('flags a host driver in one branch and a log configuration left out by one', () => {
    expect(findingsOf(overridden('LogConfiguration.LogDriver', { 'Fn::If': ['Local', 'json-file', 'awslogs'] }), 'ContainerPlatform-ECS4')).toEqual(WEB('ECS4'));
    expect(findingsOf(overridden('LogConfiguration', { 'Fn::If': ['Quiet', { Ref: 'AWS::NoValue' }, { LogDriver: 'awslogs' }] }), 'ContainerPlatform-ECS4')).toEqual(WEB('ECS4'));
  });

  test.each(['unix:///dev/log', 'udp://localhost:514', 'tcp://127.0.0.1:514', 'tcp://[::1]:514'])('flags syslog to %s, the host\'s own syslog', (address) => {
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: 'syslog', Options: { 'syslog-address': address } }), 'ContainerPlatform-ECS4')).toEqual(WEB('ECS4'));
  });

  test('passes syslog to a network server whose URL scheme is upper-case, as Docker accepts it', () => {
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: 'syslog', Options: { 'syslog-address': 'TCP://logs.example.com:514' } }), 'ContainerPlatform-ECS4')).toEqual([]);
  });

  test('flags a driver name with a part only known at deploy time', () => {
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: { 'Fn::Sub': '${Driver}' } }, (s) => new CfnParameter(s, 'Driver')), 'ContainerPlatform-ECS4')).toEqual(WEB('ECS4'));
  });

  test('passes syslog to a network server and the splunk driver', () => {
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: 'syslog', Options: { 'syslog-address': 'tcp+tls://logs.example.com:6514' } }), 'ContainerPlatform-ECS4')).toEqual([]);
    expect(findingsOf(overridden('LogConfiguration', { LogDriver: 'splunk', Options: { 'splunk-url': 'https://splunk.example.com' } }), 'ContainerPlatform-ECS4')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS5 variants', () => {
  test.each([
    'nginx:LATEST', 'nginx:stable', 'nginx:mainline', 'nginx:alpine', 'node:lts-slim', 'app:main', 'app:master', 'app:edge', 'app:nightly',
    'app:dev', 'app:develop', 'app:release', 'app:prod', 'app:production', 'app:current', 'app:canary', 'debian:bookworm', 'node:3-latest',
    'app:latest-arm64',
  ])('flags the moving tag in %s', (image) => {
    expect(findingsOf(overridden('Image', image), 'ContainerPlatform-ECS5')).toEqual(WEB('ECS5'));
  });

  test.each(['nginx:1.27.0-alpine', 'node:20', 'app:v2', 'app:3f2a9c1', `nginx:latest@sha256:${'b'.repeat(64)}`])('passes the pinned %s', (image) => {
    expect(findingsOf(overridden('Image', image), 'ContainerPlatform-ECS5')).toEqual([]);
  });

  test('flags latest in one branch of Fn::If, in a Fn::Sub map and in a Fn::Join', () => {
    expect(findingsOf(overridden('Image', { 'Fn::If': ['Pin', 'nginx:1.27.0', 'nginx:latest'] }), 'ContainerPlatform-ECS5')).toEqual(WEB('ECS5'));
    expect(findingsOf(overridden('Image', { 'Fn::Sub': ['nginx:${Tag}', { Tag: 'latest' }] }), 'ContainerPlatform-ECS5')).toEqual(WEB('ECS5'));
    expect(findingsOf(overridden('Image', { 'Fn::Join': [':', ['nginx', 'stable']] }), 'ContainerPlatform-ECS5')).toEqual(WEB('ECS5'));
  });

  test('does not judge an image read from SSM at deploy time', () => {
    expect(findingsOf(overridden('Image', '{{resolve:ssm:/app/image}}'), 'ContainerPlatform-ECS5')).toEqual([]);
  });
});

describe('ContainerPlatform-ECS6 variants', () => {
  test('flags a value read from a NoEcho parameter, whatever the variable is called', () => {
    const { stack, task } = taskWith();
    const password = new CfnParameter(stack, 'DbPassword', { noEcho: true, default: 'changeme' });
    const host = new CfnParameter(stack, 'DbHost', { default: 'db.internal' });
    const container = task.defaultContainer!;
    container.addEnvironment('DB', password.valueAsString);
    container.addEnvironment('DSN', Fn.sub('postgres://app:${DbPassword}@db/app'));
    container.addEnvironment('DB_HOST', host.valueAsString);
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([
      'ContainerPlatform-ECS6[Container::web::DB] Test/Task/Resource',
      'ContainerPlatform-ECS6[Container::web::DSN] Test/Task/Resource',
    ]);
  });

  test('judges a name only known at deploy time by its value and by its known words', () => {
    const { stack, task } = taskWith();
    const name = new CfnParameter(stack, 'VariableName');
    const container = task.defaultContainer!;
    container.addEnvironment(name.valueAsString, 'postgres://app:s3cret@db/app');
    container.addEnvironment(Fn.join('_', [Fn.importValue('Prefix'), 'PASSWORD']), 'x');
    container.addEnvironment(Fn.join('_', [Fn.importValue('Prefix'), 'LOG_LEVEL']), 'info');
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([
      'ContainerPlatform-ECS6[Container::web::*_PASSWORD] Test/Task/Resource',
      'ContainerPlatform-ECS6[Container::web::unresolved] Test/Task/Resource',
    ]);
  });

  test('flags credentials under run-together and suffix names, a password query parameter and a PEM key', () => {
    const { stack } = taskWith({ environment: {
      PGPASSWORD: 'x', SMTP_PASS: 'x', GITHUBTOKEN: 'x', LOGIN_URL: 'https://api.example.com/login?password=s3cret', TLS_KEY: '-----BEGIN PRIVATE KEY-----\nMII',
      TOKEN_URL: 'https://auth.example.com/token', MAX_TOKENS: '4096', PASSWORD_FILE: '/run/secrets/db', TOKEN_COUNT: '3', DB_PARAMS: '{{resolve:ssm:/app/db-params}}',
    } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual(['GITHUBTOKEN', 'LOGIN_URL', 'PGPASSWORD', 'SMTP_PASS', 'TLS_KEY']
      .map((v) => `ContainerPlatform-ECS6[Container::web::${v}] Test/Task/Resource`));
  });

  test('flags secrets under more names, and credentials inside any value', () => {
    const { stack } = taskWith({ environment: {
      MYSQL_PWD: 'x', SESSION_SECRET: 'x', SIGNING_KEY: 'x', AWS_CREDENTIALS: 'x', BASIC_AUTH: 'u:p',
      DATABASE_URL: 'postgres://app:s3cret@db:5432/app', DB_CONNECTION_STRING: 'Server=db;Password=s3cret', PWD: '/app', TOKEN_URL: 'https://idp/token',
    } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([
      'AWS_CREDENTIALS', 'BASIC_AUTH', 'DATABASE_URL', 'DB_CONNECTION_STRING', 'MYSQL_PWD', 'SESSION_SECRET', 'SIGNING_KEY',
    ].map((v) => `ContainerPlatform-ECS6[Container::web::${v}] Test/Task/Resource`));
  });

  test('flags a secret resolved by a secretsmanager reference, which CloudFormation writes into the task definition', () => {
    const { stack } = taskWith({ environment: { DB: '{{resolve:secretsmanager:db:SecretString:password}}' } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual(['ContainerPlatform-ECS6[Container::web::DB] Test/Task/Resource']);
  });

  test('flags a URL password in one branch of Fn::If and a variable a branch adds', () => {
    const stack = overridden('Environment', [
      { Name: 'DATABASE_URL', Value: { 'Fn::If': ['Local', 'postgres://app:dev@localhost/app', 'postgres://db/app'] } },
      { 'Fn::If': ['Debug', { Name: 'DEBUG_TOKEN', Value: 'x' }, { Ref: 'AWS::NoValue' }] },
    ]);
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([
      'ContainerPlatform-ECS6[Container::web::DATABASE_URL] Test/Task/Resource',
      'ContainerPlatform-ECS6[Container::web::DEBUG_TOKEN] Test/Task/Resource',
    ]);
  });

  test('passes a plain setting read from SSM at deploy time', () => {
    const { stack } = taskWith({ environment: { LOG_LEVEL: '{{resolve:ssm:/app/log-level}}' } });
    expect(findingsOf(stack, 'ContainerPlatform-ECS6')).toEqual([]);
  });
});
