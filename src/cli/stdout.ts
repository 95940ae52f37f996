/** Data to stdout, for commands that stream rows (query, blocklist list). */

/**
 * A reader that stops early (`| head`) closes the pipe; bin/solflow.js then ends the process
 * quietly, and this returns false so long outputs stop.
 */
export function out(text: string): boolean {
  if (process.stdout.destroyed) return false;
  if (text) process.stdout.write(text);
  return true;
}
