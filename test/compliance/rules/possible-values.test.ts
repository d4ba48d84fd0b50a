import { CfnMapping, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { possibleAt, possibleElements, possibleReferences, possibleValues, UNKNOWN, UNKNOWN_TEXT } from '../../../lib/compliance/rules/possible-values';
import { newStack } from '../../helpers';

/** The values a property can take, as the rules see it after synth resolves the tokens. */
function values(stack: Stack, value: unknown): unknown[] {
  return possibleValues(stack.resolve(value), stack);
}

describe('possibleValues', () => {
  test('returns a literal as it is', () => {
    expect(values(newStack(), 'IMMUTABLE')).toEqual(['IMMUTABLE']);
  });

  test('returns every branch of Fn::If, AWS::NoValue as an absent value', () => {
    const stack = newStack();
    expect(values(stack, Fn.conditionIf('Prod', 'IMMUTABLE', Fn.conditionIf('Dev', 'MUTABLE', { Ref: 'AWS::NoValue' })))).toEqual(['IMMUTABLE', 'MUTABLE', undefined]);
  });

  test('stands a parameter with a default for its default, and one with allowed values for all of them', () => {
    const stack = newStack();
    expect(values(stack, new CfnParameter(stack, 'Tag', { default: 'latest' }).valueAsString)).toEqual(['latest']);
    expect(values(stack, new CfnParameter(stack, 'Mode', { default: 'IMMUTABLE', allowedValues: ['IMMUTABLE', 'MUTABLE'] }).valueAsString)).toEqual(['IMMUTABLE', 'MUTABLE']);
  });

  test('splits the default of a list parameter', () => {
    const stack = newStack();
    expect(values(stack, new CfnParameter(stack, 'Cidrs', { type: 'CommaDelimitedList', default: '0.0.0.0/1, 128.0.0.0/1' }).valueAsList)).toEqual([['0.0.0.0/1', '128.0.0.0/1']]);
  });

  test('reads Fn::FindInMap from the stack\'s mapping: a key known only at deploy time may be any key of its level', () => {
    const stack = newStack();
    const images = new CfnMapping(stack, 'Images', { mapping: {
      'eu-west-1': { web: 'nginx:1.27.0', worker: 'worker:2.0' },
      'us-east-1': { web: 'nginx:latest', worker: 'worker:2.0' },
    } });
    expect(values(stack, Fn.findInMap(images.logicalId, 'eu-west-1', 'web'))).toEqual(['nginx:1.27.0']);
    expect(values(stack, Fn.findInMap(images.logicalId, stack.region, 'web'))).toEqual(['nginx:1.27.0', 'nginx:latest']);
    expect(values(stack, Fn.findInMap(images.logicalId, 'ap-south-1', 'web', 'nginx:1.26.0'))).toEqual(['nginx:1.26.0']);
    expect(values(stack, Fn.findInMap('Elsewhere', 'eu-west-1', 'web'))).toEqual([UNKNOWN]);
  });

  test('cannot know a parameter without default, a pseudo parameter or a resource attribute', () => {
    const stack = newStack();
    const resource = new CfnResource(stack, 'Res', { type: 'Custom::Thing' });
    expect(values(stack, new CfnParameter(stack, 'User').valueAsString)).toEqual([UNKNOWN]);
    expect(values(stack, stack.region)).toEqual([UNKNOWN]);
    expect(values(stack, resource.getAtt('Arn'))).toEqual([UNKNOWN]);
  });

  test('renders an SSM-typed parameter as the dynamic reference it is', () => {
    const stack = newStack();
    expect(values(stack, ssm.StringParameter.valueForStringParameter(stack, '/app/image'))).toEqual([expect.stringMatching(/^\{\{resolve:ssm:/)]);
  });

  test('substitutes Fn::Sub variables, parameters and escaped names, with the unknown parts marked', () => {
    const stack = newStack();
    new CfnParameter(stack, 'Tag', { default: '1.4.2' });
    expect(values(stack, Fn.sub('repo:${Tag}-${Suffix}', { Suffix: Fn.conditionIf('Arm', 'arm64', 'amd64') as any }))).toEqual(['repo:1.4.2-arm64', 'repo:1.4.2-amd64']);
    expect(values(stack, Fn.sub('${!Literal}@${AWS::Region}'))).toEqual([`\${Literal}@${UNKNOWN_TEXT}`]);
  });

  test('joins Fn::Join of literals and selects Fn::Select of a literal list', () => {
    const stack = newStack();
    expect(values(stack, Fn.join(':', ['nginx', Fn.conditionIf('Pin', '1.27.0', 'latest') as any]))).toEqual(['nginx:1.27.0', 'nginx:latest']);
    expect(possibleValues({ 'Fn::Select': ['1', ['0', { 'Fn::If': ['C', '00', 'root'] }]] }, stack)).toEqual(['00', 'root']);
  });

  test('gives up past 64 combinations rather than growing without bound', () => {
    const stack = newStack();
    const parts = Array.from({ length: 7 }, (_, i) => Fn.conditionIf(`C${i}`, 'a', 'b') as any);
    expect(values(stack, Fn.join('', parts))).toEqual([UNKNOWN]);
  });
});

describe('possibleAt, possibleElements and possibleReferences', () => {
  test('walk into the members of every branch', () => {
    const stack = newStack();
    const config = stack.resolve(Fn.conditionIf('A', { LogDriver: 'awslogs' }, { LogDriver: Fn.conditionIf('B', 'json-file', 'none') }));
    expect(possibleAt({ LogConfiguration: config }, 'LogConfiguration.LogDriver', stack)).toEqual(['awslogs', 'json-file', 'none']);
    expect(possibleAt({}, 'LogConfiguration.LogDriver', stack)).toEqual([undefined]);
  });

  test('list the elements of every branch, without the ones a branch leaves out', () => {
    const stack = newStack();
    const list = stack.resolve(Fn.conditionIf('A', ['SYS_ADMIN'], ['CHOWN', Fn.conditionIf('B', 'NET_ADMIN', Fn.ref('AWS::NoValue'))]));
    expect(possibleElements(list, stack)).toEqual(['SYS_ADMIN', 'CHOWN', 'NET_ADMIN']);
  });

  test('keep references to resources for rules that follow them', () => {
    const stack = newStack();
    expect(possibleReferences(stack.resolve(Fn.conditionIf('A', { Ref: 'LtA' }, { Ref: 'LtB' })), stack)).toEqual([{ Ref: 'LtA' }, { Ref: 'LtB' }]);
  });
});
