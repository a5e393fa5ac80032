//! `ps-mpi launch`: runs `mpirun` with this binary, so a user types one
//! command and a missing `mpirun` is one clear line, not a shell error.

use std::ffi::OsString;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, ExitCode};

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
        .map_err(|error| Failure::Failed(format!("cannot find this program's path: {error}")))?;
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

/// Runs `mpirun` and waits for it.
pub(crate) fn run(mut mpirun: Command) -> Result<std::process::ExitStatus, Failure> {
    mpirun.status().map_err(|error| {
        let program = mpirun.get_program().to_string_lossy().into_owned();
        if error.kind() == ErrorKind::NotFound {
            Failure::Refused(format!(
                "`{program}` was not found on PATH: install OpenMPI (Debian: apt-get install openmpi-bin libopenmpi-dev)"
            ))
        } else {
            Failure::Refused(format!("cannot start `{program}`: {error}"))
        }
    })
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
