/**
 * Anchor self-CPI events: an inner instruction of program P, invoked by P itself, whose data is
 * EVENT_IX_TAG (e445a52e51cb9a1d) + the event discriminator + the Borsh body. Unlike
 * `Program data:` logs they survive the 10 kB log cut-off, so they are read first.
 */
import { hex } from './borsh.js';
import { ixBytes, type Ix, type TxView } from './txview.js';

const TAG = [0xe4, 0x45, 0xa5, 0x2e, 0x51, 0xcb, 0x9a, 0x1d];

/**
 * Anchor names an event by sha256("event:<Name>")[0..8], so every program whose event is called
 * `TradeEvent` (Pump.fun, LaunchLab, Moonit, Jupiter limit orders) shares this discriminator.
 */
export const TRADE_EVENT = 'bddb7fd34ee661ee';

export interface AnchorEvent {
  ix: Ix;
  programId: string;
  /** hex of the 8-byte event discriminator */
  disc: string;
  body: Uint8Array;
}

export function readEvent(ix: Ix): AnchorEvent | null {
  if (ix.data === null || ix.data.length < 22) return null;
  const b = ixBytes(ix);
  if (b.length < 16) return null;
  for (let i = 0; i < 8; i++) if (b[i] !== TAG[i]) return null;
  return { ix, programId: ix.programId, disc: hex(b, 8, 16), body: b.subarray(16) };
}

/** Events a program emitted directly under instruction `ix` (its self-CPI children). */
export function childEvents(view: TxView, ix: Ix): AnchorEvent[] {
  const out: AnchorEvent[] = [];
  for (const c of ix.children) {
    const child = view.ixs[c];
    if (child.programId !== ix.programId) continue;
    const ev = readEvent(child);
    if (ev) out.push(ev);
  }
  return out;
}

/** All self-CPI events of one program anywhere in the transaction. */
export function programEvents(view: TxView, programId: string): AnchorEvent[] {
  const out: AnchorEvent[] = [];
  for (const ix of view.ixs) {
    if (ix.inner === 0 || ix.programId !== programId) continue;
    const parent = view.ixs[ix.parent];
    if (!parent || parent.programId !== programId) continue;
    const ev = readEvent(ix);
    if (ev) out.push(ev);
  }
  return out;
}

export function ixDisc(ix: Ix): string {
  const b = ixBytes(ix);
  return hex(b, 0, 8);
}

const INVOKE = /^Program (\S+) invoke \[\d+\]$/;
const RETURN = /^Program \S+ (success|failed)/;

/**
 * `Program data:` log events, attributed to the instruction that was executing when each was
 * logged. Only a fallback: logs are cut off after 10 kB, and a truncated tail attributes
 * nothing. Built once per transaction, on demand.
 */
function logEvents(view: TxView): Map<number, AnchorEvent[]> {
  if (view.logEvents) return view.logEvents as Map<number, AnchorEvent[]>;
  const out = new Map<number, AnchorEvent[]>();
  view.logEvents = out;
  // Most transactions log no event at all: then there is nothing to attribute.
  if (!hasDataLine(view.logs)) return out;
  const stack: number[] = [];
  let cursor = 0;
  for (const line of view.logs) {
    if (!line.startsWith('Program ')) {
      if (line === 'Log truncated') break;
      continue;
    }
    if (line.startsWith('data: ', 8)) {
      const top = stack[stack.length - 1];
      if (top === undefined) continue;
      // The Buffer itself, not a copy: the events live only as long as this decode.
      const bytes: Uint8Array = Buffer.from(line.slice(14), 'base64');
      if (bytes.length < 8) continue;
      const ix = view.ixs[top];
      const list = out.get(top) ?? [];
      list.push({ ix, programId: ix.programId, disc: hex(bytes, 0, 8), body: bytes.subarray(8) });
      out.set(top, list);
      continue;
    }
    // Most lines are neither an invoke nor a return (program logs): the word after the program
    // id tells, so only invokes and returns reach the regexes (which still decide, as before).
    const word = line.indexOf(' ', 8) + 1;
    if (word <= 9) continue;
    if (line.startsWith('invoke [', word) && INVOKE.test(line)) {
      // The regex's capture, without its match array: the program id runs up to `word`'s space.
      const program = line.slice(8, word - 1);
      let found = -1;
      for (let j = cursor; j < view.ixs.length && j < cursor + 16; j++) {
        if (view.ixs[j].programId === program) {
          found = j;
          break;
        }
      }
      if (found < 0) break; // logs and instructions disagree: attribute nothing further
      stack.push(found);
      cursor = found + 1;
      continue;
    }
    if ((line.startsWith('success', word) || line.startsWith('failed', word)) && RETURN.test(line)) stack.pop();
  }
  return out;
}

function hasDataLine(logs: string[]): boolean {
  for (const line of logs) if (line.startsWith('Program data: ')) return true;
  return false;
}

/** Events of `ix`: self-CPI first, the logs only when the program emitted none that way. */
export function eventsOf(view: TxView, ix: Ix): AnchorEvent[] {
  const cpi = childEvents(view, ix);
  if (cpi.length > 0) return cpi;
  return logEvents(view).get(ix.id) ?? [];
}
