//! `ps-mpi check`: every workload, under every local strategy, at sizes
//! chosen to be awkward for the split — one element, fewer elements than
//! ranks, counts that do not divide — verified on rank 0; then what the
//! runs cost beyond the work (see [`super::costs`]).

use ps_catalog::StrategyKind;
use ps_harness::{Failure, plural};
use ps_mpi::{
    Distributed, DistributedVisitor, Fault, Team, doing, run_distributed, share_of, visit_all,
};

use super::{Session, local_strategy, wrong};
use crate::cli::CheckArgs;

/// Sizes every workload is checked at (each moved to its nearest valid
/// size), besides its quick size.
const AWKWARD_SIZES: [usize; 5] = [1, 2, 3, 17, 1000];

struct Checker<'a> {
    session: &'a Session,
    strategies: Vec<StrategyKind>,
    threads: u32,
    checked: usize,
    failure: Option<Failure>,
}

impl Checker<'_> {
    fn check<W: Distributed>(
        &mut self,
        workload: &W,
        n: usize,
        kind: StrategyKind,
    ) -> Result<(), Failure> {
        let team = &self.session.team;
        let shape = format!("{} × {} {kind}", team.ranks(), self.threads);
        doing(format!(
            "checking {} at n = {n} on {shape}",
            workload.name()
        ));
        workload.check_n(n).map_err(Failure::Usage)?;
        let strategy = local_strategy(kind, self.threads, workload.grain(n))?;
        let input = workload.prepare(n);
        let my_share =
            share_of(workload, &input, team).map_err(|error| Failure::Usage(error.to_string()))?;
        if let Some(output) = run_distributed(workload, &strategy, &input, &my_share, team) {
            workload
                .verify(&workload.run_serial(&input), &output)
                .map_err(|mismatch| {
                    Failure::WrongResult(wrong(workload.name(), n, &shape, mismatch))
                })?;
        }
        self.checked += 1;
        Ok(())
    }
}

impl DistributedVisitor for Checker<'_> {
    fn visit<W: Distributed + 'static>(&mut self, workload: W) {
        if self.failure.is_some() {
            return;
        }
        // No larger than the quick size: fannkuch-redux's nearest valid size
        // to 1000 is 16, whose 16! permutations would take days.
        let quick = workload.sizes().quick;
        let mut sizes: Vec<usize> = AWKWARD_SIZES
            .map(|n| workload.nearest_valid_n(n.min(quick)))
            .to_vec();
        sizes.push(workload.sizes().quick);
        sizes.dedup();
        for kind in self.strategies.clone() {
            for &n in &sizes {
                if let Err(failure) = self.check(&workload, n, kind) {
                    self.failure = Some(failure);
                    return;
                }
            }
        }
        if self.session.is_root() {
            println!("ok  {} at n = {sizes:?}", workload.name());
        }
    }
}

pub(crate) fn check(args: &CheckArgs, session: &Session) -> Result<(), Failure> {
    let strategies = if args.strategies.is_empty() {
        StrategyKind::ALL.to_vec()
    } else {
        args.strategies.clone()
    };
    let mut checker = Checker {
        session,
        strategies,
        threads: args.threads,
        checked: 0,
        failure: None,
    };
    if let Some(rank) = args.panic_on_rank {
        for kind in checker.strategies.clone() {
            checker.check(
                &Fault {
                    panic_on_rank: rank,
                },
                64,
                kind,
            )?;
        }
        return Ok(());
    }
    visit_all(&mut checker);
    if let Some(failure) = checker.failure {
        return Err(failure);
    }
    super::costs::check_costs(args, &checker.strategies, session)?;
    if session.is_root() {
        println!(
            "verified {} on {} × {} threads, local strategies: {}",
            plural(checker.checked, "run"),
            plural(session.team.ranks(), "rank"),
            args.threads,
            checker
                .strategies
                .iter()
                .map(|kind| kind.name())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}
