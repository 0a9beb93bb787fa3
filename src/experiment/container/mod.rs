//! `shmlab container`: shared memory as engineers meet it in containers.
//!
//! Four experiments, each the kernel's real behaviour behind a problem
//! people keep reporting (docs/containers.md cites them):
//!
//! - `ipc-namespace`: SysV segments belong to an IPC namespace (invisible
//!   from outside, the same key naming another segment in each), POSIX
//!   objects to whatever tmpfs is mounted on /dev/shm, and a namespace's
//!   segments die with it (with its last process, unless something else
//!   holds the namespace).
//! - `dev-shm-size`: Docker's 64 MiB /dev/shm. A larger POSIX object is
//!   created and mapped without complaint and kills its toucher with SIGBUS
//!   at the tmpfs's size; posix_fallocate says ENOSPC up front; a SysV
//!   segment is not on that tmpfs at all.
//! - `cgroup-charge`: shared pages are charged to the memory cgroup of the
//!   process that first touched them and stay charged after it exits; a
//!   reader elsewhere is not charged; past the limit the toucher is
//!   OOM-killed.
//! - `rmid-forced`: kernel.shm_rmid_forced, set in a namespace of its own.
//!
//! The namespace steps run in a forked process that makes its own
//! namespaces ([`sandbox`]); shmlab stays on the host and looks from there.
//! As a normal user that process makes a user namespace first, where the
//! kernel allows it; the cgroup step needs root (or a delegated cgroup).
//! A step that cannot run says why: an error (exit 2) when asked for by
//! name, a skipped record with the reason under `--all`.

mod cgroup_charge;
mod dev_shm_size;
mod ipc_namespace;
mod mailbox;
mod memory_group;
mod privilege;
mod rmid_forced;
mod sandbox;

use serde::{Deserialize, Serialize};

use super::params::Size;
use super::{Events, Lab};
use crate::error::{Error, Param, Result};
use crate::kernel::machine::Machine;
use crate::kernel::sysvipc;
use crate::model::{ContainerRecord, ContainerStep};
use crate::sys::Key;

pub use privilege::Privilege;

const MIB: u64 = 1 << 20;

fn default_shm_size() -> Size {
    Size(64 * MIB)
}

fn default_limit() -> Size {
    Size(96 * MIB)
}

/// What `shmlab container` and a suite's `"experiment": "container"` take.
#[derive(Debug, Clone, clap::Args, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// The experiment to run (or --all)
    #[arg(value_enum, required_unless_present = "all", conflicts_with = "all")]
    #[serde(default)]
    pub step: Option<ContainerStep>,

    /// Run every step; a step this machine cannot run is skipped, with the reason
    #[arg(long)]
    #[serde(default)]
    pub all: bool,

    /// Size of the private /dev/shm in dev-shm-size (Docker's default); the POSIX object is twice as large
    #[arg(long, default_value = "64MiB")]
    #[serde(default = "default_shm_size")]
    pub shm_size: Size,

    /// Memory limit of cgroup-charge's cgroup; its segment is two thirds of it, the one that goes past it twice
    #[arg(long, default_value = "96MiB")]
    #[serde(default = "default_limit")]
    pub limit: Size,
}

/// The steps to run, each with what it needs or why it cannot run here.
pub struct Plan {
    pub steps: Vec<(ContainerStep, std::result::Result<Privilege, String>)>,
    pub shm_size: u64,
    pub limit: u64,
}

pub struct Container;

impl Lab for Container {
    const NAME: &'static str = "container";
    type Params = Params;
    type Plan = Plan;
    type Record = ContainerRecord;

    fn validate(params: &Params, _machine: &Machine) -> Result<Plan> {
        let in_range = |name: &'static str, value: u64, low: u64, high: u64| {
            if value < low || value > high || !value.is_multiple_of(MIB) {
                Err(Error::usage(crate::tr!(
                    "container-size-range",
                    param = Param(name),
                    value = crate::size::human(value),
                    low = crate::size::human(low),
                    high = crate::size::human(high)
                )))
            } else {
                Ok(())
            }
        };
        in_range("shm_size", params.shm_size.0, 4 * MIB, 1024 * MIB)?;
        in_range("limit", params.limit.0, 24 * MIB, 1024 * MIB)?;
        let wanted: Vec<ContainerStep> = match (params.step, params.all) {
            (Some(step), false) => vec![step],
            (None, true) => ContainerStep::ALL.to_vec(),
            _ => {
                return Err(Error::usage(crate::tr!(
                    "container-name-a-step",
                    steps = ContainerStep::ALL.map(ContainerStep::name).join(", "),
                    all = Param("all")
                )));
            }
        };
        let steps: Vec<_> = wanted.into_iter().map(|s| (s, privilege::for_step(s, params.limit.0))).collect();
        if !params.all
            && let Some((step, Err(why))) = steps.first()
        {
            return Err(Error::unavailable(crate::tr!("container-cannot-run", step = step.name(), why = why)));
        }
        Ok(Plan { steps, shm_size: params.shm_size.0, limit: params.limit.0 })
    }

    fn run(plan: &Plan, events: &mut dyn Events) -> Result<Vec<ContainerRecord>> {
        let mut records = Vec::new();
        for (step, privilege) in &plan.steps {
            let ran = match privilege {
                Err(why) => Ok(vec![ContainerRecord::skipped(*step, why.clone())]),
                Ok(privilege) => match step {
                    ContainerStep::IpcNamespace => ipc_namespace::run(privilege, events),
                    ContainerStep::DevShmSize => dev_shm_size::run(privilege, plan.shm_size, events),
                    ContainerStep::CgroupCharge => cgroup_charge::run(privilege, plan.limit, events),
                    ContainerStep::RmidForced => rmid_forced::run(privilege, events),
                },
            };
            let found = match ran {
                // What the machine cannot give now (memory, room) skips one
                // step of several; asked for alone, it is the error (exit 2).
                Err(e) if e.kind == crate::error::Kind::Unavailable && plan.steps.len() > 1 => {
                    vec![ContainerRecord::skipped(*step, e.message)]
                }
                other => other?,
            };
            for r in found {
                events.finished(&r.clone().into());
                records.push(r);
            }
        }
        Ok(records)
    }

    fn failure(records: &[ContainerRecord]) -> Option<String> {
        records.iter().find(|r| r.unexpected()).map(|r| format!("container {}: {}", r.path(), r.kernel_shows))
    }
}

/// A /proc/sysvipc/shm row as the records show it.
fn row_text(row: &sysvipc::ShmRow) -> String {
    let dest = if row.marked_for_removal() { " dest" } else { "" };
    format!("key {} shmid {} {} nattch {}{dest}", row.key, row.shmid, crate::size::human(row.size), row.nattch)
}

/// Every segment this process's IPC namespace has (inside a namespace of
/// our own, all of them are ours).
fn all_rows() -> Vec<String> {
    sysvipc::segments().iter().map(row_text).collect()
}

/// The rows with `key` in this process's IPC namespace (on the host, only
/// the key's: other programs' segments are not ours to show).
fn rows_with_key(key: Key) -> Vec<String> {
    sysvipc::segments().iter().filter(|r| r.key == key).map(row_text).collect()
}

/// Shmem of /proc/meminfo, in bytes.
fn shmem_bytes() -> u64 {
    crate::kernel::meminfo::Meminfo::read().map_or(0, |m| m.get("Shmem").max(0) as u64 * 1024)
}

/// What a failed call inside the namespaces reports: `shmat failed: EINVAL (...)`.
fn failed(call: &str) -> impl Fn(crate::sys::Errno) -> String + '_ {
    move |e| crate::tr!("container-call-failed", call = call, errno = crate::error::errno_text(e))
}

/// Refuses a step that would touch `bytes` of new memory at once when that
/// is not available now (MemAvailable, keeping a margin, and our memory
/// cgroup's room): better a clear refusal than an OOM kill of shmlab.
fn check_room(bytes: u64, param: Option<&'static str>) -> Result<()> {
    let fix = param
        .map_or(crate::i18n::t("container-free-memory"), |p| crate::tr!("container-use-smaller", param = Param(p)));
    let meminfo = crate::kernel::meminfo::Meminfo::read()
        .map_err(|e| Error::unavailable(crate::tr!("container-no-meminfo", error = e)))?;
    let available = meminfo.get("MemAvailable").max(0) as u64 * 1024;
    let margin = (meminfo.get("MemTotal").max(0) as u64 * 1024 / 20).max(256 * MIB);
    if bytes.saturating_add(margin) > available {
        return Err(Error::unavailable(crate::tr!(
            "container-room-memavailable",
            bytes = mib(bytes),
            available = mib(available),
            margin = mib(margin),
            fix = fix,
        )));
    }
    if let Some(cgroup) = crate::kernel::cgroup::MemoryCgroup::read_own()
        && let Some(tight) = cgroup.tightest()
        && tight.room() < bytes.saturating_add(16 * MIB)
    {
        return Err(Error::unavailable(crate::tr!(
            "container-room-cgroup",
            bytes = mib(bytes),
            cgroup = tight.cgroup,
            room = mib(tight.room()),
            file = tight.file,
            fix = fix,
        )));
    }
    Ok(())
}

/// `64 MiB`.
fn mib(bytes: u64) -> String {
    crate::size::human(bytes)
}

/// In a child: writes every page of `view` in order, `progress` holding
/// the bytes already done before each page is touched: after a signal, it
/// says where. The child may die of SIGBUS on purpose, so it leaves no core.
fn touch_every_page(view: &crate::sys::mman::Mapping, progress: &std::sync::atomic::AtomicU64) {
    use std::sync::atomic::Ordering::SeqCst;
    crate::sys::process::no_core_dumps();
    let page = crate::sys::process::page_size() as usize;
    for start in (0..view.len()).step_by(page) {
        progress.store(start as u64, SeqCst);
        view.fill(start..(start + page).min(view.len()), 1);
    }
    progress.store(view.len() as u64, SeqCst);
}

/// How a toucher ended, for the records: `Ok(None)` for a clean exit,
/// `Ok(Some(name))` for a signal (`SIGBUS`, `SIGKILL`: what the steps are
/// about); any other end (an errno, a timeout) is the step failing.
fn ended_by(reaped: &crate::experiment::children::Reaped) -> std::result::Result<Option<String>, String> {
    use crate::sys::process::Ended;
    match reaped.failed.first() {
        None if reaped.succeeded > 0 => Ok(None),
        None => Err(crate::i18n::t("container-child-timeout")),
        Some(Ended::Killed(sig)) => Ok(Some(sig.as_str().to_string())),
        Some(other) => Err(crate::tr!("container-child-ended", how = other)),
    }
}
