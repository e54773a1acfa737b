import { Chalk, supportsColor, type ChalkInstance } from 'chalk';

/** Colours for a stream: on a terminal (or with FORCE_COLOR), never with NO_COLOR or into a pipe. */
export function chalkFor(stream: NodeJS.WritableStream): ChalkInstance {
  const env = process.env;
  if ('NO_COLOR' in env) return new Chalk({ level: 0 });
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  const level = supportsColor ? supportsColor.level : 0;
  return new Chalk({ level: tty || env.FORCE_COLOR ? level || 1 : 0 });
}
