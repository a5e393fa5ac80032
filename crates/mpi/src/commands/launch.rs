//! `ps-mpi launch`: runs `mpirun` with this binary, so a user types one
//! command and a missing `mpirun` is one clear line, not a shell error.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, ExitCode, ExitStatus};
use std::time::{Duration, Instant};

use ps_harness::Failure;

use super::startup::{LAUNCHED_AT, now_nanos};
use crate::Outcome;
use crate::cli::LaunchArgs;

/// The launcher that runs the ranks; another may be named with `PS_MPIRUN`.
pub(crate) const MPIRUN: &str = "mpirun";

/// The `mpirun` command line for `ranks` copies of this binary running
/// `command`.
pub(crate) fn mpirun(
    ranks: u32,
    hostfile: Option<&Path>,
    extra: &[String],
    command: &[String],
) -> Result<Command, Failure> {
    let program = std::env::var_os("PS_MPIRUN").unwrap_or_else(|| OsString::from(MPIRUN));
    let this = std::env::current_exe()
        .map_err(|error| Failure::Child(format!("cannot find this program's path: {error}")))?;
    let mut mpirun = Command::new(program);
    mpirun.arg("-n").arg(ranks.to_string());
    // More ranks than cores is allowed: it is how this crate shows what
    // oversubscription costs, and how a small machine tests many ranks.
    mpirun.arg("--oversubscribe");
    // OpenMPI pins each rank to one core by default, which would squeeze a
    // rank's threads onto that core: MPI + threads needs the pinning off.
    mpirun.args(["--bind-to", "none"]);
    // A rank waiting in a collective yields its core instead of spinning on
    // it, so waiting ranks do not slow the ones still computing (or the
    // serial reference that rank 0 times while the others wait).
    mpirun.args(["--mca", "mpi_yield_when_idle", "1"]);
    if running_as_root() {
        // OpenMPI refuses root unless told; containers and CI run as root.
        mpirun.arg("--allow-run-as-root");
    }
    if let Some(hostfile) = hostfile {
        mpirun.arg("--hostfile").arg(hostfile);
    }
    mpirun.args(extra);
    mpirun.arg("-x").arg(LAUNCHED_AT);
    mpirun.env(LAUNCHED_AT, now_nanos().to_string());
    mpirun.arg(this).args(command);
    Ok(mpirun)
}

fn running_as_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|metadata| metadata.uid() == 0)
}

/// How long `mpirun` may go on once every process it started has ended.
const GRACE_AFTER_LAST_RANK: Duration = Duration::from_secs(10);

/// Runs `mpirun` and waits for it — and stops it if it outlives its ranks.
///
/// After `MPI_Abort`, `mpirun` of `OpenMPI` 4.1 usually exits non-zero (at
/// times crashing on its way out), but it has also been seen to hang with
/// every rank already ended, holding the job's output open forever. So the
/// wait watches `mpirun`'s children: once it has started some and none is
/// alive any more, it gets [`GRACE_AFTER_LAST_RANK`] to exit, then it is
/// killed and the job fails. This counts the ranks' progress, not the job's
/// length: a long job is never cut short.
pub(crate) fn run(mpirun: Command) -> Result<ExitStatus, Failure> {
    run_with_grace(mpirun, GRACE_AFTER_LAST_RANK)
}

fn run_with_grace(mut mpirun: Command, grace: Duration) -> Result<ExitStatus, Failure> {
    let program = mpirun.get_program().to_string_lossy().into_owned();
    let mut child = mpirun.spawn().map_err(|error| {
        if error.kind() == ErrorKind::NotFound {
            Failure::Refused(format!(
                "`{program}` was not found on PATH: install OpenMPI (Debian: apt-get install openmpi-bin libopenmpi-dev)"
            ))
        } else {
            Failure::Refused(format!("cannot start `{program}`: {error}"))
        }
    })?;
    let waited =
        |error: std::io::Error| Failure::Child(format!("waiting for `{program}`: {error}"));
    let mut ranks_seen = false;
    let mut all_ended_at: Option<Instant> = None;
    loop {
        if let Some(status) = child.try_wait().map_err(waited)? {
            return Ok(status);
        }
        match live_children(child.id()) {
            // No /proc: nothing to watch, so wait as before.
            None => return child.wait().map_err(waited),
            Some(0) if ranks_seen => {
                let since = *all_ended_at.get_or_insert_with(Instant::now);
                if since.elapsed() >= grace {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(Failure::Child(format!(
                        "`{program}` was still running {:.1}s after every process it started had ended; stopped it",
                        grace.as_secs_f64()
                    )));
                }
            }
            Some(0) => {}
            Some(_) => {
                ranks_seen = true;
                all_ended_at = None;
            }
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// How many processes whose parent is `mpirun` are alive (not zombies), read
/// from `/proc`; `None` where there is no `/proc` to read.
fn live_children(mpirun: u32) -> Option<usize> {
    let entries = std::fs::read_dir("/proc").ok()?;
    let parent = mpirun.to_string();
    let live = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|entry| std::fs::read_to_string(entry.path().join("stat")).ok())
        .filter(|stat| {
            // `PID (COMM) STATE PPID …`; COMM may hold spaces and parentheses,
            // so the fields are read after its last `)`.
            let mut fields = stat
                .rsplit_once(')')
                .map_or("", |(_, rest)| rest)
                .split_whitespace();
            let state = fields.next();
            let parent_field = fields.next();
            parent_field == Some(parent.as_str()) && state != Some("Z") && state != Some("X")
        })
        .count();
    Some(live)
}

pub(crate) fn launch(args: &LaunchArgs) -> Outcome {
    let status = run(mpirun(
        args.ranks,
        args.hostfile.as_deref(),
        &args.mpirun_args,
        &args.command,
    )?)?;
    // mpirun has printed its own account of a failure; pass its code on.
    Ok(status.code().map_or(ExitCode::FAILURE, |code| {
        ExitCode::from(u8::try_from(code).unwrap_or(1))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for `mpirun`: a shell running `script`.
    fn launcher(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        command
    }

    /// Long enough for a shell to exit after its child on a busy machine.
    const GRACE: Duration = Duration::from_secs(2);

    #[test]
    fn a_launcher_that_outlives_its_ranks_is_stopped_with_a_failure() {
        // The "rank" ends; the launcher then hangs, as mpirun has after an abort.
        let outcome = run_with_grace(launcher("sleep 0.2 & wait; exec sleep 600"), GRACE);
        let failure = outcome.expect_err("a hung launcher must not be waited for");
        assert!(
            failure
                .to_string()
                .contains("after every process it started had ended"),
            "{failure}"
        );
    }

    #[test]
    fn a_launcher_that_exits_passes_its_status_on() {
        let status = run_with_grace(launcher("sleep 0.2 & wait; exit 3"), GRACE).unwrap();
        assert_eq!(status.code(), Some(3));
    }

    #[test]
    fn ranks_running_longer_than_the_grace_are_not_cut_short() {
        let status = run_with_grace(launcher("sleep 3 & wait"), GRACE).unwrap();
        assert!(status.success());
    }

    #[test]
    fn a_launcher_that_has_not_started_a_rank_yet_is_left_alone() {
        let status = run_with_grace(launcher("exec sleep 3"), GRACE).unwrap();
        assert!(status.success());
    }
}
