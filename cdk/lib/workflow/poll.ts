import {
  Choice,
  Condition,
  type IChainable,
  JsonPath,
  Pass,
  type State,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import type { CallAwsService } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';

export interface PollProps {
  /** Prefix of every state name of this loop (state names are unique per state machine). */
  readonly name: string;
  /** The Describe* call; its result must land at `resultPath`. */
  readonly describe: CallAwsService;
  /** JSONPath of the status after the describe call, e.g. `$.described.Campaign.Status`. */
  readonly statusPath: string;
  readonly succeeded: readonly string[];
  readonly failed: readonly string[];
  /** JSONPath where the loop keeps its wait time (seconds). */
  readonly pollPath: string;
  readonly initialWaitSeconds: number;
  readonly maxWaitSeconds: number;
}

/** A poll loop as one chainable piece: `start` enters it; wire `onSuccess` and `onFailure` with `next`. */
export interface PollLoop {
  readonly start: State;
  readonly whenSucceeded: (next: IChainable) => void;
  readonly whenFailed: (next: IChainable) => void;
}

/**
 * Wait → describe → status choice, doubling the wait (capped) while the resource is still working.
 * Only the listed terminal statuses leave the loop (reference §1.6); anything else means "still working".
 */
export function pollUntilDone(scope: Construct, props: PollProps): PollLoop {
  const { name } = props;
  const waitField = `${props.pollPath}.seconds`;
  const start = new Pass(scope, `${name} Start`, {
    parameters: { seconds: props.initialWaitSeconds },
    resultPath: props.pollPath,
  });
  const wait = new Wait(scope, `${name} Wait`, { time: WaitTime.secondsPath(waitField) });
  const backoff = new Pass(scope, `${name} Backoff`, {
    parameters: { seconds: JsonPath.mathAdd(JsonPath.numberAt(waitField), JsonPath.numberAt(waitField)) },
    resultPath: props.pollPath,
  });
  const cap = new Pass(scope, `${name} Cap`, {
    parameters: { seconds: props.maxWaitSeconds },
    resultPath: props.pollPath,
  });
  const capped = new Choice(scope, `${name} Cap?`)
    .when(Condition.numberGreaterThan(waitField, props.maxWaitSeconds), cap.next(wait))
    .otherwise(wait);
  const anyOf = (statuses: readonly string[]) => {
    const conditions = statuses.map((s) => Condition.stringEquals(props.statusPath, s));
    return conditions.length === 1 ? conditions[0]! : Condition.or(...conditions);
  };
  const status = new Choice(scope, `${name} Status?`);
  start.next(wait).next(props.describe);
  props.describe.next(status);
  status.otherwise(backoff.next(capped));
  return {
    start,
    whenSucceeded: (next) => void status.when(anyOf(props.succeeded), next),
    whenFailed: (next) => void status.when(anyOf(props.failed), next),
  };
}
