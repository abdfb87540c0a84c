import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/cli/progress.ts';

/** A stream that claims to be a terminal and keeps what is written. */
function fakeTerminal(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY: true, columns: 120, cursorTo() {}, clearLine() {}, moveCursor() {} });
  return { stream, text: () => chunks.join('') };
}

describe('Function: createProgress', () => {
  it('draws the labelled bar on a terminal', () => {
    // Prepare
    const terminal = fakeTerminal();
    const progress = createProgress({ quiet: false, stream: terminal.stream });

    // Act
    progress.start('fit itemKnn', 4);
    progress.update(2);
    progress.stop();

    // Assess
    expect(terminal.text()).toContain('fit itemKnn');
  });

  it('draws nothing when asked to be quiet', () => {
    // Prepare
    const terminal = fakeTerminal();
    const progress = createProgress({ quiet: true, stream: terminal.stream });

    // Act
    progress.start('fit itemKnn', 4);
    progress.update(4);
    progress.stop();

    // Assess
    expect(terminal.text()).toBe('');
  });
});
