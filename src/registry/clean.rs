//! `shmlab clean`: remove what a killed shmlab left behind, and only that.
//!
//! For each record whose owner is no longer running, ask whether the object
//! still is the one shmlab created (see `standing`), and remove it only
//! then. An object whose owner still runs is in use and left alone, and so
//! is every record that cannot be trusted or checked: each gets a line
//! saying why.

use super::entry::Registered;
use super::standing::{Standing, remove, standing};
use super::store::{Listed, entries, owner_running};
use crate::error::Result;
use crate::tr;

/// What clean did (or would do) with one registered object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub object: String,
    pub outcome: String,
    /// Something that should have been removed or checked could not be.
    pub problem: bool,
}

/// Cleans every registered leftover; with `dry_run`, only says what it would
/// do. An error when the registry itself cannot be read or trusted.
pub fn clean(dry_run: bool) -> Result<Vec<Action>> {
    let mut actions = Vec::new();
    for listed in entries()? {
        match listed {
            Listed::Record(file, registered) => {
                let action = clean_one(&registered, dry_run);
                let settled = !action.problem && !owner_running(&registered);
                if settled && !dry_run {
                    let _ = std::fs::remove_file(&file);
                }
                actions.push(action);
            }
            Listed::Unreadable(file, why) => actions.push(Action {
                object: tr!("clean-registry-file", path = file.display()),
                outcome: tr!("clean-not-used", why = why),
                problem: true,
            }),
            Listed::Stale(file, what) => {
                if !dry_run {
                    let _ = std::fs::remove_file(&file);
                }
                actions.push(Action {
                    object: tr!("clean-registry-file", path = file.display()),
                    outcome: tr!(if dry_run { "clean-stale-would-remove" } else { "clean-stale-removed" }, what = what),
                    problem: false,
                });
            }
        }
    }
    // An empty registry is not left behind.
    if !dry_run {
        let _ = std::fs::remove_dir(super::store::registry_dir());
    }
    Ok(actions)
}

/// The exclusive claim on the pool whose `nr_hugepages` is `path`.
fn pool_claim(path: &str) -> std::result::Result<crate::kernel::hugepages::PoolClaim, String> {
    let size = crate::kernel::hugepages::HugePageSize::from_pool_path(std::path::Path::new(path))
        .ok_or_else(|| tr!("clean-not-a-pool", path = path))?;
    crate::kernel::hugepages::claim(size, true).map_err(|e| e.message)
}

fn clean_one(r: &Registered, dry_run: bool) -> Action {
    let object = r.entry.describe();
    if owner_running(r) {
        return Action { object, outcome: tr!("clean-in-use", pid = r.owner_pid), problem: false };
    }
    // A pool is changed only by whoever holds its claim (a live run may be using its pages).
    let _claim = match &r.entry {
        super::entry::Entry::HugePagePool { path, .. } => match pool_claim(path) {
            Ok(claim) => Some(claim),
            Err(why) => return Action { object, outcome: tr!("clean-left-for-now", why = why), problem: true },
        },
        _ => None,
    };
    let (outcome, problem) = match standing(r) {
        Standing::Ours(target) if dry_run => (
            match target {
                super::standing::Target::Restore { value, .. } => tr!("clean-would-restore", value = value),
                _ => crate::i18n::t("clean-would-remove"),
            },
            false,
        ),
        Standing::Ours(target) => match remove(&target) {
            Ok(done) => (done, false),
            Err(e) => (tr!("clean-could-not-remove", error = e), true),
        },
        Standing::Gone(why) => (why, false),
        Standing::NotOurs(why) => (tr!("clean-left-alone", why = why), false),
        Standing::Unknown(why) => (tr!("clean-left-alone", why = why), true),
    };
    Action { object, outcome, problem }
}
