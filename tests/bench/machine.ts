// How busy the machine was when a bench ran. On a shared 2-core machine the same bench's p99s swung 2-40x between
// a quiet run and a busy one (issue 15), so every section prints the load average beside its figures and flags a run
// taken above BUSY_LOAD: its figures then say more about the neighbours than about orch.
import { cpus, loadavg } from 'node:os';

/** A 1-minute load average above this flags the run (2 = both cores of the reference machine busy). */
export const BUSY_LOAD = 2;

/** The 1, 5 and 15 minute load averages, and whether the 1-minute one is above BUSY_LOAD. */
export function machineLoad(): { averages: number[]; busy: boolean } {
  const averages = loadavg();
  return { averages, busy: (averages[0] ?? 0) > BUSY_LOAD };
}

/** One line: Node, platform, cores and the load average, with a BUSY flag above BUSY_LOAD. */
export function machineLine(label: string): string {
  const { averages, busy } = machineLoad();
  const load = averages.map((v) => v.toFixed(2)).join(' ');
  return (
    `[${label}] Node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} cores, load average ${load}` +
    (busy
      ? ` -- BUSY: load above ${BUSY_LOAD}, figures from this run are not comparable with a quiet run's`
      : ` (quiet: <= ${BUSY_LOAD})`)
  );
}

/** Prints machineLine(label); returns whether the run is flagged busy, for a summary line. */
export function printMachine(label: string): boolean {
  console.log(machineLine(label));
  return machineLoad().busy;
}
